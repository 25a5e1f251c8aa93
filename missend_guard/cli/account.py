"""`missend-guard account add|list|remove|test` and `missend-guard relay-password`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from missend_guard.storage.paths import DataPaths
    from missend_guard.storage.secrets import Secrets
    from missend_guard.storage.settings import Account, SettingsStore

ACTIONS = ("add", "list", "remove", "test")


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """Options of `account` (one parser, so common options may come anywhere); none for the password."""
    if name == "relay-password":
        return
    parser.add_argument("action", choices=ACTIONS, help="what to do")
    parser.add_argument("name", nargs="?", help="account name (add, remove, test)")
    smtp = parser.add_argument_group("SMTP account (add)")
    smtp.add_argument("--host", help="SMTP server, e.g. smtp.example.co.jp")
    smtp.add_argument("--port", type=int, help="587 (starttls), 465 (ssl)")
    smtp.add_argument("--security", choices=("starttls", "ssl", "none"),
                      help="none only for a server on this computer")
    smtp.add_argument("--username", default="", help="login name (empty: no AUTH)")
    smtp.add_argument("--password-stdin", action="store_true",
                      help="read the password from the first line of stdin instead of a prompt")
    graph = parser.add_argument_group("Microsoft 365 account (add)")
    graph.add_argument("--graph", action="store_true", help="send through Microsoft Graph")
    graph.add_argument("--client-id", default="", help="app registration id")
    graph.add_argument("--tenant", default="organizations", help="tenant id or domain")
    parser.add_argument("--default", action="store_true", help="use for unmatched senders")
    parser.add_argument("--from", dest="from_addresses", action="append", default=[],
                        metavar="ADDRESS", help="sender address this account sends (repeatable)")


def main(args: argparse.Namespace) -> int:
    """Dispatch; environment problems become one paragraph and exit status 2."""
    from missend_guard.app import open_paths, user_errors  # heavy imports only when run

    with user_errors() as status:
        from missend_guard.storage.secrets import Secrets
        from missend_guard.storage.settings import SettingsStore

        paths = open_paths(args)
        if args.command == "relay-password":
            print(Secrets().relay_password())
            return 0
        store = SettingsStore(paths)
        handler = {"add": _add, "list": _list, "remove": _remove, "test": _test}[args.action]
        if args.action != "list" and not args.name:
            print(f"missend-guard account {args.action}: an account NAME is needed", file=sys.stderr)
            return 2
        return handler(args, paths, store, Secrets())
    return status[0]


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    return getpass.getpass(f"Password for {args.username} at {args.host}: ")


def _add(args: argparse.Namespace, paths: DataPaths, store: SettingsStore, secrets: Secrets) -> int:
    from missend_guard.storage.settings import Account

    if args.graph:
        account = Account(args.name, "graph", username=args.username,
                          from_addresses=tuple(args.from_addresses), default=args.default,
                          client_id=args.client_id, tenant=args.tenant)
    else:
        missing = [f"--{o}" for o in ("host", "port", "security") if getattr(args, o) is None]
        if missing:
            print(f"missend-guard account add: {', '.join(missing)} needed for an SMTP account",
                  file=sys.stderr)
            return 2
        account = Account(args.name, "smtp", args.host, args.port, args.security, args.username,
                          tuple(args.from_addresses), args.default)
    settings = store.load()
    others = tuple(a for a in settings.accounts if a.name.casefold() != args.name.casefold())
    if account.default:
        others = tuple(_without_default(a) for a in others)
    updated = settings.with_accounts((*others, account))  # validates before the keychain is touched
    if account.kind == "smtp" and account.username:
        password = _read_password(args)
        if not password:
            print("missend-guard account add: the password is empty; nothing was saved",
                  file=sys.stderr)
            return 2
        secrets.set_account_password(account.name, password)
    store.save(updated)
    print(f"Account {account.name} saved: {_describe(account)}"
          + ("; password stored in the keychain" if account.kind == "smtp" and account.username
             else ""))
    if account.kind == "graph":
        print("Sign in to Microsoft 365 from the tray app (Settings → Accounts) before sending.")
    return 0


def _without_default(account: Account) -> Account:
    from dataclasses import replace

    return replace(account, default=False)


def _describe(account: Account) -> str:
    if account.kind == "graph":
        where = f"Microsoft 365 (tenant {account.tenant})"
    else:
        where = f"{account.host}:{account.port} {account.security}"
    parts = [where]
    if account.username:
        parts.append(f"user {account.username}")
    if account.from_addresses:
        parts.append("from " + ", ".join(account.from_addresses))
    if account.default:
        parts.append("default")
    return ", ".join(parts)


def _list(args: argparse.Namespace, paths: DataPaths, store: SettingsStore, secrets: Secrets) -> int:
    settings = store.load()
    for problem in settings.problems:
        print(f"missend-guard: {problem}", file=sys.stderr)
    if not settings.accounts:
        print("No upstream account. Add one with: missend-guard account add NAME --host H "
              "--port P --security starttls --username U")
        return 0
    for account in settings.accounts:
        print(f"{account.name}\t{account.kind}\t{_describe(account)}")
    return 0


def _remove(args: argparse.Namespace, paths: DataPaths, store: SettingsStore, secrets: Secrets) -> int:
    settings = store.load()
    account = settings.account(args.name)
    if account is None:
        print(f"missend-guard: no account named {args.name!r}", file=sys.stderr)
        return 2
    store.save(settings.with_accounts(tuple(a for a in settings.accounts if a is not account)))
    secrets.delete_account_password(account.name)
    print(f"Account {account.name} removed (its password was deleted from the keychain)")
    return 0


def _test(args: argparse.Namespace, paths: DataPaths, store: SettingsStore, secrets: Secrets) -> int:
    from missend_guard.core.ports import DeliveryError
    from missend_guard.transports.smtp_sender import SmtpAccount, SmtpSender

    account = store.load().account(args.name)
    if account is None:
        print(f"missend-guard: no account named {args.name!r}", file=sys.stderr)
        return 2
    if account.kind != "smtp":
        print("missend-guard: Microsoft 365 accounts are tested by signing in from the tray app",
              file=sys.stderr)
        return 2
    sender = SmtpSender(
        SmtpAccount(account.name, account.host, account.port, account.security, account.username),
        lambda: secrets.account_password(account.name), timeout=30,
    )
    try:
        print(sender.test())
    except DeliveryError as exc:
        print(f"{account.name}: FAILED ({'temporary' if exc.temporary else 'permanent'}): "
              f"{exc.reply}")
        return 1
    return 0
