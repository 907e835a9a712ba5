"""Eligibility: an applicant's facts (``profile``, read from questions by ``reading``) checked against
the reviewed rules of one call edition (``check``), worded without overstating (``wording``), offered to
an agent as a tool (``tool``); ``propose`` drafts rules from a new call for staff to review."""
