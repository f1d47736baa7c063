"""Training and certification: courses, quizzes, certificates with expiry, the case library."""
