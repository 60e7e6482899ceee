"""The onion service's deployment files: nginx accepts its server block next
to the site's, which never logs addresses nor tells Django the onion is HTTPS;
the torrc example forwards to it."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
SITE = DEPLOY / "nginx" / "newsroom.conf"
ONION = DEPLOY / "nginx" / "onion.conf"


def directives(path):
    return re.sub(r"#[^\n]*", "", path.read_text())


def test_the_onion_server_block_speaks_plain_http_and_logs_nothing():
    conf = directives(ONION)
    assert "ssl" not in conf and "Strict-Transport-Security" not in conf
    assert "proxy_set_header X-Forwarded-Proto http;" in conf
    assert "$remote_addr" not in conf
    assert re.findall(r"access_log\s+([^;]+);", conf) == ["off"]
    # Onion pages are cached apart from the public ones: the host is in the key.
    assert 'proxy_cache_key "$scheme$host$request_uri$newsroom_encoding";' in conf


def test_the_torrc_example_forwards_to_the_onion_server_block():
    torrc = directives(DEPLOY / "torrc.example")
    port = re.search(r"HiddenServicePort 80 (127\.0\.0\.1:\d+)", torrc).group(1)
    assert f"listen {port} proxy_protocol;" in directives(ONION)
    assert "HiddenServiceExportCircuitID haproxy" in torrc
    assert "SafeLogging 0" not in torrc


@pytest.mark.skipif(
    not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()) or not shutil.which("openssl"),
    reason="nginx or openssl not installed",
)
def test_nginx_accepts_the_site_and_the_onion_service_together(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=news.example.org",
         "-keyout", tmp_path / "key.pem", "-out", tmp_path / "cert.pem"],
        check=True,
        capture_output=True,
    )  # fmt: skip

    def local(text):
        return (
            text.replace(
                "/etc/letsencrypt/live/news.example.org/fullchain.pem", str(tmp_path / "cert.pem")
            )
            .replace(
                "/etc/letsencrypt/live/news.example.org/privkey.pem", str(tmp_path / "key.pem")
            )
            .replace("/var/cache/nginx/newsroom", str(tmp_path / "cache"))
            .replace("/var/log/nginx/", f"{tmp_path}/")
        )

    (tmp_path / "site.conf").write_text(local(SITE.read_text()))
    (tmp_path / "onion.conf").write_text(local(ONION.read_text()))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    include {tmp_path}/site.conf;\n    include {tmp_path}/onion.conf;\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", tmp_path, "-c", tmp_path / "nginx.conf"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
