"""Reading a record as an analyst would: paragraphs -> regimens (`paragraph`), arms reconciled with their
interventions (`arms`), and arms linked to interventions by content where a record gives no links (`linking`)."""
