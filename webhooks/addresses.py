"""Where a webhook may be sent: never to this machine, the company's private network or a cloud's metadata
service (server-side request forgery), unless settings allow it.

Every address a host name resolves to is checked, when HR saves the endpoint (a form error) and again at each
delivery, where the request then connects to the very address that was checked (so a DNS answer that changes
between the check and the connection, DNS rebinding, cannot slip a private address in). Redirects are not
followed. WEBHOOKS_ALLOW_PRIVATE allows every address (a closed network); WEBHOOKS_ALLOWED_NETWORKS allows
some (e.g. "127.0.0.1/32" in the tests, or an internal integration host).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class RefusedAddress(Exception):
    """The URL may not be called; the message says why, for HR."""


def _allowed_networks():
    return [ipaddress.ip_network(net, strict=False) for net in settings.WEBHOOKS_ALLOWED_NETWORKS]


def address_allowed(ip):
    """Public internet addresses; private, loopback, link-local, multicast and reserved ones only if allowed."""
    ip = ipaddress.ip_address(ip)
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if settings.WEBHOOKS_ALLOW_PRIVATE or any(ip in net for net in _allowed_networks()):
        return True
    return ip.is_global and not ip.is_multicast


def target(url):
    """(scheme, host, port) of a URL a webhook may be sent to, or RefusedAddress."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise RefusedAddress("Use an http:// or https:// address.")
    if parts.username or parts.password:
        raise RefusedAddress("Put no user name or password in the address; the signature authenticates us.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise RefusedAddress("The port in this address is not a number from 1 to 65535.") from None
    if not parts.hostname:
        raise RefusedAddress("The address has no host name.")
    return parts.scheme, parts.hostname, port


def resolve(host, port):
    """Every address `host` resolves to, each checked; RefusedAddress if any is not allowed or none is found."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise RefusedAddress(f"The host name {host} could not be resolved.") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    refused = [a for a in addresses if not address_allowed(a)]
    if refused or not addresses:
        raise RefusedAddress(
            f"{host} resolves to a private, loopback or link-local address ({', '.join(refused)}): "
            "webhooks go to addresses on the internet only."
        )
    return addresses


def check_url(url):
    """For the form: RefusedAddress unless every address of the URL's host may be called."""
    _, host, port = target(url)
    return resolve(host, port)
