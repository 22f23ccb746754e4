import urllib.request
for i in [0,4,5]:
    r=urllib.request.urlopen(f"http://127.0.0.1:63141/{i}"); out=[]
    try:
        while True:
            b=r.read(3)
            if not b: break
            out.append(b)
        print(i, out)
    except Exception as e: print(i, out, type(e).__name__, e.partial)
    r=urllib.request.urlopen(f"http://127.0.0.1:63141/{i}")
    try: print(i, list(r))
    except Exception as e: print(i, type(e).__name__, e.partial)
