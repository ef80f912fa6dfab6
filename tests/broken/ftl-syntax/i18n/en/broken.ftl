fine = Fine

broken = { $unclosed
