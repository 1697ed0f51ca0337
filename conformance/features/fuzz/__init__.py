"""Property-based fuzzing of /invocations (hypothesis): strategies.py builds requests from
the declared content type and the user's payload; runner.py sends them and shrinks what
fails."""
