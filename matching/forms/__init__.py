"""matching's forms, one module a topic: validation only; the services decide what is allowed."""
