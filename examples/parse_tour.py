# The Python twin of parse_tour.ts: the same calls on the same inputs.
# Run: PYENV_VERSION=3.13.0 python3 examples/parse_tour.py
# tests/examples/parse_tour_test.ts compares its output with parse_tour.ts's
# line by line, so every line here has a partner there, in the same order.
from urllib.parse import (
    parse_qs,
    quote,
    quote_plus,
    unquote,
    unquote_plus,
    urlencode,
    urljoin,
    urlparse,
    urlunparse,
)


def show(label, value):
    print(f"{label}: {value!r}")


print("== urlparse / urlunparse ==")
doc = urlparse("https://docs.python.org/3/library/urllib.parse.html?highlight=params#url-parsing")
show("urlparse(doc)", doc)
show("doc.scheme", doc.scheme)
show("doc.netloc", doc.netloc)
show("doc.port", doc.port)
show("urlunparse(doc)", urlunparse(doc))
full = urlparse("http://user:secret@[::1]:8080/app;v=2?q=1&q=2#top")
show("urlparse(full)", full)
show("full.username", full.username)
show("full.password", full.password)
show("full.hostname", full.hostname)
show("full.port", full.port)
show("full.params", full.params)
show("no scheme", urlparse("www.example.com/path"))
show("scheme-relative", urlparse("//www.example.com/path"))
show("urlunparse(parts)", urlunparse(["https", "example.com", "/a b", "", "q=1", "top"]))
show("_replace", urlunparse(doc._replace(scheme="http", fragment="")))

print("== urljoin ==")
base = "http://a/b/c/d;p?q"
for ref in ["g", "./g", "g/", "/g", "//g", "?y", "g?y", "#s", "..", "../g", "../../../g", "http://other/x"]:
    show(f"urljoin(base, {ref!r})", urljoin(base, ref))

print("== parse_qs ==")
show("parse_qs(shop)", parse_qs("q=apple&category=fruits&page=1"))
show("repeated", parse_qs("a=1&a=2&b=3"))
show("blank dropped", parse_qs("a=1&b=&c"))
show("blank kept", parse_qs("a=1&b=&c", keep_blank_values=True))
show("decoded", parse_qs("name=%E5%BC%A0%E4%B8%89&city=S%C3%A3o+Paulo"))
show("latin-1", parse_qs("word=caf%E9", encoding="latin-1"))

print("== urlencode ==")
show("urlencode(dict)", urlencode({"spam": 1, "eggs": 2, "bacon": 0}))
show("special chars", urlencode({"q": "python 3 & deno", "lang": "zh-CN", "x": "a=b"}))
show("pairs", urlencode([("a", "1"), ("a", "2")]))
show("doseq", urlencode({"tag": ["red", "green"]}, doseq=True))
show("no doseq", urlencode({"tag": ["red", "green"]}))
show("unicode", urlencode({"name": "张三"}))
show("quote_via=quote", urlencode({"q": "a b"}, quote_via=quote))

print("== quote / unquote ==")
show("quote", quote("hello, world!"))
show("quote path", quote("/path with space/ü.html"))
show("quote safe=''", quote("a/b c", safe=""))
show("quote_plus", quote_plus("a b&c=d"))
show("quote latin-1", quote("café", encoding="latin-1"))
show("unquote", unquote("%E4%BD%A0%E5%A5%BD"))
show("unquote latin-1", unquote("caf%E9", encoding="latin-1"))
show("unquote bad utf-8", unquote("caf%E9"))
show("unquote_plus", unquote_plus("a+b%2Bc"))
