"""The queue screens: teller console, queue pane, ticket card, lists, matrix, appointments, evaluator."""
