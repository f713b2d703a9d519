"""The appliance: who it is (identity), what the API says (model), how we talk to it
(transport, login, client) and one complete reading of it."""
