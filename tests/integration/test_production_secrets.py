"""Production refuses to start with missing, placeholder or generated secrets."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from adapters.audit import verifier
from adapters.audit.signing import create_key_pair
from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from tests.integration.test_audit_cli import run


def operator_secrets(folder: Path) -> dict[str, Any]:
    """What an operator brings: files outside the generated-secrets folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hash.key").write_text(secrets.token_hex(32))
    (folder / "master.key").write_text(secrets.token_hex(32))
    create_key_pair(folder / "sth.pem", folder / "sth.pub.pem")
    return {
        "environment": "production",
        "hash_secret": None,
        "hash_secret_file": folder / "hash.key",
        "master_key_file": folder / "master.key",
        "signing_key_file": folder / "sth.pem",
    }


def test_production_starts_with_the_operators_own_secrets(
    store_settings: Settings, tmp_path: Path
) -> None:
    given = operator_secrets(tmp_path / "operator")
    container = bootstrap(store_settings, **given)
    try:
        public = verifier.load_public_key(str(tmp_path / "operator" / "sth.pub.pem"))
        assert container.audit.heads.key_id == verifier.key_id(public)
        assert not (store_settings.secrets_dir / "master_key").exists()
        assert "***" in repr(container.personal) and "***" in repr(container.distribution.hasher)
    finally:
        container.close()


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"hash_secret_file": None}, "TADAMON_HASH_SECRET or TADAMON_HASH_SECRET_FILE must be set"),
        (
            {"hash_secret_file": None, "hash_secret": SecretStr("change-me-please-change-me")},
            "placeholder",
        ),
        ({"master_key_file": None}, "TADAMON_MASTER_KEY_FILE must be set in production"),
        ({"signing_key_file": None}, "TADAMON_SIGNING_KEY_FILE must be set in production"),
        ({"signing_key_file": Path("/nonexistent/sth.pem")}, "TADAMON_SIGNING_KEY_FILE: no file"),
    ],
)
def test_production_refuses_missing_or_placeholder_secrets(
    store_settings: Settings, tmp_path: Path, change: dict[str, Any], complaint: str
) -> None:
    given = operator_secrets(tmp_path / "operator") | change
    with pytest.raises(ValueError, match=complaint):
        bootstrap(store_settings, **given)


def test_production_refuses_generated_development_secrets(
    store_settings: Settings, tmp_path: Path
) -> None:
    development = bootstrap(store_settings)  # generates the development secrets
    development.close()
    generated = store_settings.secrets_dir / "master_key"
    assert generated.exists()
    given = operator_secrets(tmp_path / "operator") | {"master_key_file": generated}
    with pytest.raises(ValueError, match="generated-secrets folder"):
        bootstrap(store_settings, **given)
    placeholder = tmp_path / "operator" / "weak.key"
    placeholder.write_text("change-me" * 8)
    with pytest.raises(ValueError, match="placeholder or too short"):
        bootstrap(store_settings, **(given | {"master_key_file": placeholder}))


@pytest.mark.parametrize(
    ("hash_secret", "complaint"),
    [(None, "must be set"), ("change-me", "placeholder")],
)
def test_serve_refuses_to_start_in_production(
    store_settings: Settings, hash_secret: str | None, complaint: str
) -> None:
    production = store_settings.model_copy(
        update={
            "environment": "production",
            "hash_secret": SecretStr(hash_secret) if hash_secret else None,
        }
    )
    result = run(production, "serve")
    assert result.exit_code == 2
    assert complaint in result.stderr
    assert "change-me" not in result.stderr  # a refusal never prints the secret
