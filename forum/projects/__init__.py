"""Projects: real urban projects, their partners, themes and goals, and the threads about them."""
