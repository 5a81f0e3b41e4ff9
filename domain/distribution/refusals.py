"""Stable codes of the distribution's refusals, for clients to act on (a phone says them in
its own words); the reason beside each stays a sentence for people and may change."""

ALREADY_SERVED = "already_served"  # the household got its kit (the answer names the delivery)
NO_STOCK = "no_stock"  # the committee handed out every kit it received
NOT_ON_LIST = "not_on_list"  # a listed campaign: the household is on no list
LISTED_ELSEWHERE = "listed_elsewhere"  # on another committee's list
UNKNOWN_VOUCHER = "unknown_voucher"  # no household holds this voucher code
REVOKED_VOUCHER = "revoked_voucher"  # the voucher was revoked and another issued
