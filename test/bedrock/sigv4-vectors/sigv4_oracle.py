#!/usr/bin/env python3
"""An independent AWS Signature Version 4 signer: the oracle bcode's SigV4 tests check against.

Written from AWS's public description of Signature Version 4 ("Create a signed AWS API request",
IAM User Guide) with the Python standard library only (hashlib, hmac) -- no AWS SDK, nothing from
@smithy/signature-v4, which both bcode's signer and the emulator's verifier use. Each step is the
documented one:

  1. canonical request = method, canonical URI, canonical query string, canonical headers,
     signed headers, hex SHA-256 of the payload -- joined by newlines;
     the canonical URI is the (already percent-encoded) request path encoded once more, segment
     by segment (every service but S3 "double-encodes"), so Bedrock's `%3A` in a model id
     becomes `%253A` and an ARN's `%2F` becomes `%252F`;
     canonical headers are lower-cased names with trimmed values (inner runs of spaces folded),
     sorted by name, each `name:value\n`;
  2. string to sign = "AWS4-HMAC-SHA256", the x-amz-date, the credential scope
     (date/region/service/aws4_request), hex SHA-256 of the canonical request;
  3. signing key = HMAC chain "AWS4"+secret -> date -> region -> service -> "aws4_request";
  4. signature = hex HMAC(signing key, string to sign).

Before writing anything the script checks itself against published vectors from AWS's own
Signature Version 4 test suite (the `aws-sig-v4-test-suite` data, as kept in
awslabs/aws-c-auth tests/aws-signing-test-suite/v4) and the signing-key example of AWS's
documentation; a mismatch stops it.

Usage:
  python3 sigv4_oracle.py            print the vectors as JSON on stdout
  python3 sigv4_oracle.py --write    (re)write vectors.json beside this script
"""
import hashlib
import hmac
import json
import os
import re
import sys

UNRESERVED = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def uri_encode(value: str) -> str:
    """Percent-encodes every byte of the UTF-8 value except the unreserved characters."""
    return "".join(chr(b) if b in UNRESERVED else "%%%02X" % b for b in value.encode("utf-8"))


def canonical_uri(path: str) -> str:
    """The path as received (already encoded once), encoded once more per segment."""
    return "/".join(uri_encode(segment) for segment in path.split("/")) or "/"


def canonical_query(query: str) -> str:
    if not query:
        return ""
    pairs = []
    for part in query.split("&"):
        key, _, value = part.partition("=")
        pairs.append((uri_encode(key), uri_encode(value)))
    return "&".join(f"{k}={v}" for k, v in sorted(pairs))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hmac_sha256(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    k_date = hmac_sha256(("AWS4" + secret).encode("utf-8"), date)
    k_region = hmac_sha256(k_date, region)
    k_service = hmac_sha256(k_region, service)
    return hmac_sha256(k_service, "aws4_request")


def sign(method, path, query, headers, signed, body, access_key, secret, region, service, amz_date):
    """headers: list of (name, value) as sent; signed: the names (any case) that are signed."""
    signed_names = sorted({n.lower() for n in signed})
    values = {}
    for name, value in headers:
        if name.lower() in signed_names:
            values.setdefault(name.lower(), []).append(re.sub(" +", " ", value.strip()))
    missing = [n for n in signed_names if n not in values]
    if missing:
        raise ValueError(f"signed header(s) not in the request: {missing}")
    canonical_headers = "".join(f"{n}:{','.join(values[n])}\n" for n in signed_names)
    claimed = [v for n, v in headers if n.lower() == "x-amz-content-sha256"]
    payload_hash = claimed[0] if claimed else sha256_hex(body)
    creq = "\n".join([method, canonical_uri(path), canonical_query(query), canonical_headers, ";".join(signed_names), payload_hash])
    date = amz_date[:8]
    scope = f"{date}/{region}/{service}/aws4_request"
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, sha256_hex(creq.encode("utf-8"))])
    signature = hmac.new(signing_key(secret, date, region, service), sts.encode("utf-8"), hashlib.sha256).hexdigest()
    authorization = f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, SignedHeaders={';'.join(signed_names)}, Signature={signature}"
    return {"canonicalRequest": creq, "stringToSign": sts, "signature": signature, "authorization": authorization}


# --- 1. self-check against AWS's published vectors ---------------------------------------------

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SUITE_DATE = "20150830T123600Z"
SUITE_HOST = ("Host", "example.amazonaws.com")
SUITE_XDATE = ("X-Amz-Date", SUITE_DATE)


def self_check():
    # AWS documentation, "Examples of how to derive a signing key for Signature Version 4".
    key = signing_key(SECRET, "20120215", "us-east-1", "iam").hex()
    assert key == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d", key
    # (name, method, path, headers, signed, body, session token, expected signature)
    cases = [
        ("get-utf8", "GET", "/\u1234", [SUITE_HOST, SUITE_XDATE], ["host", "x-amz-date"], b"", None,
         "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
        ("get-unreserved", "GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", [SUITE_HOST, SUITE_XDATE],
         ["host", "x-amz-date"], b"", None, "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
        ("get-space-unnormalized", "GET", "/example space/", [SUITE_HOST, SUITE_XDATE], ["host", "x-amz-date"], b"", None,
         "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
        ("get-header-value-trim", "GET", "/", [SUITE_HOST, ("My-Header1", " value1"), ("My-Header2", ' "a   b   c"'), SUITE_XDATE],
         ["host", "my-header1", "my-header2", "x-amz-date"], b"", None, "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
        ("get-vanilla-with-session-token", "GET", "/", [SUITE_HOST, SUITE_XDATE,
         ("X-Amz-Security-Token", "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267")],
         ["host", "x-amz-date", "x-amz-security-token"], b"", None, "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"),
        ("post-x-www-form-urlencoded (body hash)", "POST", "/", [("Content-Type", "application/x-www-form-urlencoded"), SUITE_HOST,
         ("Content-Length", "13"), ("x-amz-content-sha256", sha256_hex(b"Param1=value1")), SUITE_XDATE],
         ["content-length", "content-type", "host", "x-amz-content-sha256", "x-amz-date"], b"Param1=value1", None,
         "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"),
    ]
    for name, method, path, headers, signed, body, _token, expected in cases:
        got = sign(method, path, "", headers, signed, body, AKID, SECRET, "us-east-1", "service", SUITE_DATE)["signature"]
        if got != expected:
            raise SystemExit(f"self-check failed on AWS suite vector {name}: got {got}, expected {expected}")


# --- 2. bcode's vectors ---------------------------------------------------------------------------

# The emulator's test credential (src/emulator/types.ts TEST_CREDENTIALS[0]) and a temporary one.
STATIC = {"accessKeyId": "AKIAEMULATORTEST0001", "secretAccessKey": "emulator/secret/key/for/tests/only/00000001"}
TEMPORARY = {
    "accessKeyId": "ASIAEMULATORTEST0002",
    "secretAccessKey": "emulator/secret/key/for/tests/only/00000002",
    "sessionToken": "IQoJb3JpZ2luX2VjEEmulatorSessionToken//for+tests/only==",
}
AMZ_DATE = "20250301T120000Z"
USER_AGENT = "bcode/dev"
PROFILE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
ARN = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/emu7app0prof1"


def label(model_id: str) -> str:
    """One path segment, as the SDK (and bcode) encode a model id on the wire."""
    return uri_encode(model_id)


def body_of(text: str) -> bytes:
    return json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 64,
                       "messages": [{"role": "user", "content": text}]}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def vector(name, about, endpoint, region, model_id, op, cred, text, custom=(), content_sha=True, client="bcode"):
    m = re.match(r"^(https?)://([^/]+)(.*)$", endpoint)
    host, base = m.group(2), m.group(3).rstrip("/")
    body = body_of(text)
    path = f"{base}/model/{label(model_id)}/{op}"
    accept = ("x-amzn-bedrock-accept", "application/json") if op == "invoke-with-response-stream" else ("accept", "application/json")
    # The headers in the order bcode's transport sends them (custom ones first); user-agent is not signed.
    headers = [*custom, ("host", host), ("content-type", "application/json"), accept, ("content-length", str(len(body))), ("user-agent", USER_AGENT),
               ("x-amz-date", AMZ_DATE)]
    if content_sha:
        headers.append(("x-amz-content-sha256", sha256_hex(body)))
    if cred.get("sessionToken"):
        headers.append(("x-amz-security-token", cred["sessionToken"]))
    signed = [n for n, _ in headers if n != "user-agent"]
    out = sign("POST", path, "", headers, signed, body, cred["accessKeyId"], cred["secretAccessKey"], region, "bedrock", AMZ_DATE)
    return {
        "name": name,
        "about": about,
        "client": client,
        "endpoint": endpoint,
        "region": region,
        "modelId": model_id,
        "operation": op,
        "credentials": cred,
        "amzDate": AMZ_DATE,
        "method": "POST",
        "path": path,
        "headers": dict(headers),
        "body": body.decode("utf-8"),
        "bodySha256": sha256_hex(body),
        **out,
    }


def vectors():
    return [
        vector("profile-id-stream-host-port",
               "InvokeModelWithResponseStream on an inference-profile id (':' -> %3A, canonical %253A); Host with a port; body hash header",
               "http://127.0.0.1:8443", "us-east-1", PROFILE, "invoke-with-response-stream", STATIC, "Say hello \u00e0 la fran\u00e7aise"),
        vector("arn-session-token-invoke",
               "InvokeModel on an application-inference-profile ARN (one segment: ':' -> %3A, '/' -> %2F, canonical %253A / %252F); temporary credentials (x-amz-security-token signed)",
               "http://127.0.0.1:8443", "us-east-1", ARN, "invoke", TEMPORARY, "What is 2+2?"),
        vector("guardrail-headers-regional-host",
               "the real regional host (no port) of us-west-2; guardrail custom headers signed with the rest",
               "https://bedrock-runtime.us-west-2.amazonaws.com", "us-west-2", "us.anthropic.claude-haiku-4-5-20251001-v1:0",
               "invoke-with-response-stream", STATIC, "Summarise this page.",
               custom=(("x-amzn-bedrock-guardrailidentifier", "abc123def"), ("x-amzn-bedrock-guardrailversion", "1"))),
        vector("gateway-path-prefix",
               "an endpoint with a path prefix (an LLM gateway): the prefix is part of the signed path",
               "http://127.0.0.1:8443/bedrock/v1", "us-east-1", PROFILE, "invoke-with-response-stream", TEMPORARY, "hi"),
        vector("no-content-sha256-header",
               "a client that sends no x-amz-content-sha256 (botocore, curl --aws-sigv4): the payload hash comes from the body itself",
               "http://127.0.0.1:8443", "us-east-1", PROFILE, "invoke", STATIC, "hello", content_sha=False, client="other"),
    ]


def main():
    self_check()
    text = json.dumps({
        "generatedBy": "test/bedrock/sigv4-vectors/sigv4_oracle.py (Python standard library only; see README.md)",
        "vectors": vectors(),
    }, indent=2, ensure_ascii=False) + "\n"
    if "--write" in sys.argv[1:]:
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json"), "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
