"""inference.*: the hosting contract of a serving container (contract.md §2-4)."""
from ...model import Mode

ORDER = 20   # registry.load: areas load (and so run within a phase) by ORDER, then name

# The rules of a server that answers /ping on 8080 also hold for a multi-model endpoint,
# which serves /models instead of /invocations (contract.md mme.ping, MME-BUILD).
HOSTING = (Mode.SERVE, Mode.MME)
# ... and for each container of a pipeline, which is a hosted container too (judged once
# per container: @check(each_container=True)).
HOSTED = HOSTING + (Mode.PIPELINE,)
