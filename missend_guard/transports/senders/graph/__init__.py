"""Microsoft 365 through Microsoft Graph: sign-in, MIME preparation, sendMail."""
