deep = {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{
calls = { F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(F(
