"""Site-wide pieces: themes, goals (SDGs), home page, health check, language switch."""
