"""Resolution, the ``nhsx_resolver`` component (``component``): which candidates become mentions
(``selection``) and what each names within its document (``people``, ``links``)."""
