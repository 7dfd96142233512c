# Borrowers, loan policies, loans and holds arrive with the lending issue.
