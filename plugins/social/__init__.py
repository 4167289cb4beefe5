"""(stub until written)."""


def register() -> None:
    pass
