#!/usr/bin/env python3
r"""Writes initdata_vectors.json: known answers for bot/webapp's initData check.

The computation is independent of the Go code and follows the Bot API's text
(https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app):

    data_check_string = "\n".join(f"{key}={value}" for every received field
                                  except hash, sorted by key; values URL-decoded)
    secret_key        = HMAC-SHA256(key=b"WebAppData", msg=bot_token)
    hash              = hex(HMAC-SHA256(key=secret_key, msg=data_check_string))

The newer `signature` field is an ordinary field here: it is signed by the
hash like any other (its value below is a placeholder, not an Ed25519
signature; that one is for third-party validation, which neurotutor does not
do). The tokens are fake. Most vectors write fields in the order Telegram's
clients send them (hash last), which is not sorted, so a reader that forgets
to sort fails; one writes spaces as %20, the others as "+". sign() below also
accepts the published vector in Telegram-Mini-Apps/init-data-golang's
validate_test.go (checked by hand, not kept here: its token looks real).

Standard library only. Run from anywhere; the project itself never needs
Python, the Go test only reads the JSON:

    python3 bot/webapp/testdata/make_initdata_vectors.py
"""

import hashlib
import hmac
import json
import os
import urllib.parse

TOKEN_SHORT = "123456:TEST-token"
# The shape of a real token (bot id, colon, 35 characters), but not one.
TOKEN_LONG = "7342037359:AAFakeTokenForNeurotutorTests-0_0ZZ"
assert len(TOKEN_LONG.split(":")[1]) == 35

# 2025-01-01T00:00:00Z and a few later moments.
AUTH_DATE = 1735689600


def user_json(user, ascii_only=False, escape_slashes=False):
    """The user object as Telegram writes it: compact JSON."""
    s = json.dumps(user, ensure_ascii=ascii_only, separators=(",", ":"))
    if escape_slashes:
        # Telegram's servers escape '/' in URLs (photo_url) as "\/".
        s = s.replace("/", "\\/")
    return s


def sign(fields, token, quote_via=urllib.parse.quote_plus):
    """Returns (init_data, data_check_string, hash) for ordered (key, value) pairs.

    quote_via picks the escaping: quote_plus writes a space as "+", quote as
    "%20" (as Telegram's clients do); both decode to the same values.
    """
    keys = [k for k, _ in fields]
    assert len(keys) == len(set(keys)), "duplicate key"
    assert "hash" not in keys
    dcs = "\n".join(f"{k}={v}" for k, v in sorted(fields))
    secret_key = hmac.new(b"WebAppData", token.encode("utf-8"), hashlib.sha256).digest()
    h = hmac.new(secret_key, dcs.encode("utf-8"), hashlib.sha256).hexdigest()
    init_data = urllib.parse.urlencode(fields + [("hash", h)], quote_via=quote_via)
    return init_data, dcs, h


def vector(name, token, fields, user, quote_via=urllib.parse.quote_plus):
    init_data, dcs, h = sign(fields, token, quote_via)
    d = dict(fields)
    # Self-check: parse the string back as a receiver would.
    back = urllib.parse.parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    assert back == fields + [("hash", h)]
    return {
        "name": name,
        "bot_token": token,
        "fields": [[k, v] for k, v in fields],
        "init_data": init_data,
        "data_check_string": dcs,
        "hash": h,
        "want": {
            "user_id": user["id"],
            "first_name": user.get("first_name", ""),
            "last_name": user.get("last_name", ""),
            "username": user.get("username", ""),
            "language_code": user.get("language_code", ""),
            "auth_date": int(d["auth_date"]),
            "query_id": d.get("query_id", ""),
            "start_param": d.get("start_param", ""),
        },
    }


def main():
    ivan = {
        "id": 279058397,
        "first_name": "Иван",
        "last_name": "Петров",
        "username": "ivan_petrov",
        "language_code": "ru",
        "is_premium": True,
        "allows_write_to_pm": True,
        "photo_url": "https://t.me/i/userpic/320/ivan.svg",
    }
    anna = {
        "id": 7000000001,
        "first_name": "Анна-Мария & Co = 100% +1 😀",
        "language_code": "uk",
        "allows_write_to_pm": True,
    }
    min_user = {"id": 1, "first_name": "Ё"}
    sig = "3JpTzvR1qQ8mZr0c0Ws6bY0r7lJm9m3t8b0tN0z4k1c-EXAMPLE_signature_not_ed25519_valid_Ag"

    vectors = [
        vector(
            "inline query (query_id, user, signature)",
            TOKEN_SHORT,
            [
                ("query_id", "AAHdF6IQAAAAAN0XohDhrOrc"),
                ("user", user_json(ivan, escape_slashes=True)),
                ("auth_date", str(AUTH_DATE)),
                ("signature", sig),
            ],
            ivan,
        ),
        vector(
            "direct link (start_param, chat_type, chat_instance, signature; spaces as %20)",
            TOKEN_LONG,
            [
                ("user", user_json(anna)),
                ("chat_instance", "-4182931256447195316"),
                ("chat_type", "private"),
                ("start_param", "lab_attention-3"),
                ("auth_date", str(AUTH_DATE + 3600)),
                ("signature", sig),
            ],
            anna,
            quote_via=urllib.parse.quote,
        ),
        vector(
            "user JSON with \\u escapes, no signature",
            TOKEN_LONG,
            [
                ("auth_date", str(AUTH_DATE + 86400)),
                ("query_id", "AAGjwyFlAgAAAKPDIWUYz3sP"),
                ("user", user_json(ivan, ascii_only=True)),
            ],
            ivan,
        ),
        vector(
            "minimal (user and auth_date only)",
            TOKEN_SHORT,
            [
                ("user", user_json(min_user)),
                ("auth_date", str(AUTH_DATE + 59)),
            ],
            min_user,
        ),
    ]

    out = {
        "comment": "Generated by make_initdata_vectors.py (Python hmac/hashlib/urllib.parse); do not edit by hand. Tokens are fake.",
        "source": "https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app",
        "vectors": vectors,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "initdata_vectors.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
