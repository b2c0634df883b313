# Shared by benches/alerts.sh and benches/waiters.sh (sourced; they set $port and $token).
# alert KIND ID [REFERENCES]: the fixture as of now (sent now, expires in a day) with a fresh
# identifier; KIND is alert or cancel.
alert() {
  python3 - "$@" <<'PY'
import datetime, re, sys
kind, ident = sys.argv[1], sys.argv[2]
tz = datetime.timezone(datetime.timedelta(hours=8))
now = datetime.datetime.now(tz).replace(microsecond=0)
xml = open(f"tests/vectors/alerts/cap-rainstorm-{kind}.xml", encoding="utf-8").read()
xml = re.sub(r"<identifier>[^<]*", f"<identifier>{ident}", xml)
xml = re.sub(r"<sent>[^<]*", f"<sent>{now.isoformat()}", xml)
xml = re.sub(r"<expires>[^<]*", f"<expires>{(now + datetime.timedelta(days=1)).isoformat()}", xml)
if len(sys.argv) > 3:
    xml = re.sub(r"<references>[^<]*", f"<references>x,{sys.argv[3]},{now.isoformat()}", xml)
sys.stdout.write(xml)
PY
}
post() {
  curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/alerts" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/cap+xml' --data-binary @"$1"
}

