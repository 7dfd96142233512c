# Community organisations, requests, allocations and handovers arrive with the matching issue.
