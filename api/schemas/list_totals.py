"""The lists' figures, shown beside every place's totals (issue 14)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ListTotalsPublic(BaseModel):
    listed: int = Field(0, description="households on the lists (listed campaigns)")
    listed_served: int = Field(0, description="listed households served")
    listed_remaining: int = Field(0, description="listed households not yet served")
    served_off_list: int = Field(0, description="deliveries an admin made outside the list")
