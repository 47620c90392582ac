"""Rules for the people, organisations and policies the gazetteers do not know: the ``nhsx_rules`` component
(``component``), its word lists (``cues``), the person rules (``people``, over ``token_patterns``) and the
organisation and policy rules (``organisations``)."""
