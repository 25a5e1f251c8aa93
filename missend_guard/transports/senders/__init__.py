"""Upstream senders (core.ports.sending.Sender): SMTP and Microsoft Graph."""
