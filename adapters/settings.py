"""The one place configuration is read: environment variables prefixed TADAMON_."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_MARKER = "change-me"  # noqa: S105 - a placeholder to refuse, not a secret


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TADAMON_", env_file=None, extra="forbid")

    environment: Literal["development", "production"] = "development"
    database_url: str = Field(
        "sqlite:///./var/tadamon.db", description="sqlite:///PATH or postgresql://USER@HOST:PORT/DB"
    )
    database_schema: str = Field("public", description="PostgreSQL schema for all tables")
    statement_timeout_ms: int = Field(30_000, ge=100)
    pool_size: int = Field(5, ge=1)
    secrets_dir: Path = Field(
        Path("./var/secrets"), description="where development secrets are generated"
    )
    hash_secret: SecretStr | None = Field(None, description="HMAC key for household identities")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    run_projections: bool = Field(True, description="run the projection runner in the API")
    projection_source: Literal["store", "kafka"] = Field(
        "store",
        description="where totals views are fed from: the store in-process, or Kafka "
        "workers (`tadamon project --source kafka`); command-side indexes always use the store",
    )
    projection_batch_size: int = Field(2000, ge=1, le=50_000)
    projection_poll_seconds: float = Field(0.5, gt=0)
    visibility_wait_seconds: float = Field(5.0, ge=0)
    admin_token_file: Path = Path("./var/admin-token")
    log_level: str = "INFO"
    max_body_bytes: int = Field(5_000_000, ge=1024)
    organisation: str = Field(
        "Fondation Mohammed V pour la Solidarité",
        description="the organisation named in partners' exports (HXL #org)",
    )
    ready_max_lag_seconds: float = Field(
        30.0, gt=0, description="/readyz fails when a view's oldest unapplied event is older"
    )
    kafka_bootstrap_servers: str = Field(
        "127.0.0.1:9092", description="comma-separated host:port list of the Kafka brokers"
    )
    kafka_topic: str = Field("tadamon.events", description="the topic every event is relayed to")
    kafka_partitions: int = Field(
        6, ge=1, le=1000, description="partitions when the relay creates the topic; never change"
    )
    kafka_group: str = Field("tadamon-projections", description="consumer group of the workers")
    kafka_session_timeout_ms: int = Field(10_000, ge=1000)
    relay_batch_size: int = Field(1000, ge=1, le=20_000)
    metrics_port: int = Field(
        0, ge=0, le=65535, description="relay/worker Prometheus port (0: none)"
    )

    @model_validator(mode="after")
    def _check_database_url(self) -> Settings:
        scheme = urlsplit(self.database_url).scheme
        if scheme not in ("sqlite", "postgresql", "postgres", "postgresql+psycopg"):
            raise ValueError("database_url must start with sqlite:/// or postgresql://")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path:
        return Path(unquote(self.database_url.split("sqlite:///", 1)[1]))

    def identity_secret(self) -> bytes:
        """The HMAC key: from settings, else a generated development key kept under secrets_dir."""
        if self.hash_secret is not None:
            value = self.hash_secret.get_secret_value()
            if self.environment == "production" and DEFAULT_SECRET_MARKER in value:
                raise ValueError("TADAMON_HASH_SECRET still holds a placeholder in production")
            return value.encode()
        if self.environment == "production":
            raise ValueError("TADAMON_HASH_SECRET must be set in production")
        return _generated_secret(self.secrets_dir / "hash_secret")


def _generated_secret(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode()
