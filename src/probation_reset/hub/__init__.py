"""The regional hub's queue: information received on suspended cases, and its triage.

The policy gives suspended cases to a regional hub for "reactive management" (RESET, "Reactive
case management"): information arrives from the police, MARAC, social care or the person; the
hub shares what is asked for, considers enforcement when risk escalates, and reinstates contact
when, and only when, an exemption now applies. The engine raises items of its own (a suspension
letter due, a reinstatement, a check-in or final-third contact due, a ``PRC`` that disagrees with
the computed status).

``vocabulary`` names the words; ``raised`` derives the engine's items from a case on a day (pure);
``reinstatement`` checks a reinstatement against the rules (pure); ``queue`` orders and filters
(pure); ``service`` does it all in the caller's database transaction.
"""
