"""--mode mme: a multi-model endpoint, driven through its /models API (contract.md §6)."""
