greeting = Hello, { $name }!
    .title = { -brand } greets you
-brand = { $case ->
    [upper] GUIDE
   *[lower] guide
}
# Comment
## Group comment
### Resource comment
nested = { { { "{" } } }
call = { NUMBER($n, minimumFractionDigits: 2) } and { DATETIME($d) }
ref = { greeting.title } { -brand(case: "upper") }
escape = { "\u0041\"\\" }
multiline =
    first line
    second line

  [not a variant]
