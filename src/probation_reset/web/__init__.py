"""The web service: GOV.UK pages and a JSON API over the caseload store.

``app.create_app(settings)`` builds the FastAPI application; ``probation-reset serve`` runs it on
uvicorn. Nothing here is imported by the other commands: FastAPI, Jinja and argon2 load only
when the service (or ``probation-reset users``) starts.
"""
