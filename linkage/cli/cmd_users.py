"""`linkage users add|list|revoke`: the API's users, their roles and bearer tokens."""

from __future__ import annotations

from typing import Optional

import typer
from rich.table import Table

from linkage.audit import current_actor
from linkage.cli.context import console, emit_json, state


def register(app: typer.Typer) -> None:
    users_app = typer.Typer(help="API users: add (prints the token once), list, revoke.", no_args_is_help=True)

    def _users(ctx):
        from linkage.users import UserStore

        return UserStore.for_settings(state(ctx).settings)

    @users_app.command("add")
    def add(ctx: typer.Context, name: str,
            role: str = typer.Option(..., "--role", help="analyst | hub | force | ingest | admin"),
            force: Optional[str] = typer.Option(None, "--force", help="Force code (required for --role force)."),
            as_json: bool = typer.Option(False, "--json")) -> None:
        """Add a user and print its bearer token (shown only this once)."""
        user, token = _users(ctx).add(name, role, force=force)
        state(ctx).audit().append("user_add", actor=current_actor(), subject=user.name,
                                  user_role=user.role, user_force=user.force)
        if as_json:
            emit_json({"name": user.name, "role": user.role, "force": user.force, "token": token})
            return
        console.print(f"user [bold]{user.name}[/] ({user.role}{', ' + user.force if user.force else ''}) added.")
        console.print("Bearer token (shown once; keep it safe):")
        console.print(token, soft_wrap=True, markup=False, highlight=False)

    @users_app.command("list")
    def list_(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
        """Every user, its role and force, and whether it is revoked (never tokens)."""
        users = _users(ctx).list()
        if as_json:
            emit_json([{"name": u.name, "role": u.role, "force": u.force, "created_at": u.created_at,
                        "revoked_at": u.revoked_at} for u in users])
            return
        table = Table("name", "role", "force", "created", "revoked", title=f"API users ({len(users)})")
        for u in users:
            table.add_row(u.name, u.role, u.force or "", u.created_at or "", u.revoked_at or "")
        console.print(table)

    @users_app.command("revoke")
    def revoke(ctx: typer.Context, name: str) -> None:
        """Revoke a user's token at once (the user is kept, marked revoked)."""
        user = _users(ctx).revoke(name)
        state(ctx).audit().append("user_revoke", actor=current_actor(), subject=user.name)
        console.print(f"user {user.name} revoked")

    app.add_typer(users_app, name="users")
