"""Sigs inside a case: `"sig": "..."` in place of `dose_mg`/`times_per_day`, read with certainty or refused.

Reading a sig is a step before the model: `clonaguard.check.parse_case` calls `expand_case` on the raw case,
then validates the structured result. `today` is always passed in (the adapters choose it); nothing here reads
the clock. Errors are raised as pydantic ValidationErrors located at `orders[i].sig`, so every adapter reports
them the way it reports any other bad field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from clonaguard.errors import InvalidInputError
from clonaguard.numbers import parse_decimal
from clonaguard.sig.orders import SigError, SigOrder, sig_orders
from clonaguard.units import same_mg

_STRUCTURED = ("dose_mg", "times_per_day")


def _error(loc: tuple[str | int, ...], message: str, given: object, title: str = "Case") -> ValidationError:
    return ValidationError.from_exception_data(
        title,
        [InitErrorDetails(type=PydanticCustomError("sig", message), loc=loc, input=given)],
    )


def _unreadable(problems: list[str]) -> str:
    return "could not be read with certainty, so nothing was evaluated: " + "; ".join(problems)


def _as_date(value: object, loc: tuple[str | int, ...]) -> date | None:
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _error(loc, "must be a date written YYYY-MM-DD", value)


def _structured(order: SigOrder, text: str, start: object) -> dict[str, Any]:
    structured = {
        "start": start,
        "dose_mg": order.dose_mg,
        "times_per_day": order.times_per_day,
        "sig": text,
        "food_drink": order.food_drink,
        "dose_basis": order.dose_basis,
    }
    if order.end is not None:
        structured["end"] = order.end
    return structured


def expand_case(data: dict[str, Any]) -> dict[str, Any]:
    """The case with every sig order replaced by its structured order(s); "then stop" sets `stop`.

    A sig's steps are dated from its order's start, else the case's `today`.
    """
    if not isinstance(data.get("orders"), list):
        return data
    orders: list[Any] = []
    stop: object = data.get("stop")
    for index, order in enumerate(data["orders"]):
        if not isinstance(order, dict) or order.get("sig") is None:
            orders.append(order)
            continue
        if any(key in order for key in _STRUCTURED):
            orders.append(fill_order(order, _as_date(data.get("today"), ("today",)) or date.min, ("orders", index)))
            continue
        text = order["sig"]
        if not isinstance(text, str):
            raise _error(("orders", index, "sig"), "must be text", text)
        start = _as_date(order.get("start"), ("orders", index, "start"))
        first_day = start or _as_date(data.get("today"), ("today",))
        if first_day is None:
            raise _error(("today",), "required field is missing: it dates the sig's steps", None)
        try:
            steps, stop_day = sig_orders(text, first_day)
        except SigError as exc:
            raise _error(("orders", index, "sig"), _unreadable(exc.problems), text) from None
        except InvalidInputError as exc:
            raise _error(("orders", index, "sig"), str(exc).removeprefix("sig: "), text[:80]) from None
        extra = {key: value for key, value in order.items() if key not in {"sig", "start"}}
        if (len(steps) > 1 or stop_day is not None) and "end" in extra:
            message = "not with a multi-step sig: each step ends where the next begins"
            raise _error(("orders", index, "end"), message, text)
        if len(steps) == 1 and stop_day is None:
            if (
                "end" in extra
                and steps[0].end is not None
                and _as_date(extra["end"], ("orders", index, "end")) != steps[0].end
            ):
                raise _error(("orders", index, "end"), f"the sig's own duration ends on {steps[0].end}", text)
            orders.append({**extra, **_structured(steps[0], text, order.get("start"))})
        else:
            orders.extend({**extra, **_structured(step, text, step.start)} for step in steps)
        if stop_day is not None:
            given = _as_date(stop, ("stop",))
            if given is not None and given != stop_day:
                raise _error(("orders", index, "sig"), f"ends on {stop_day}, but the case's stop is {given}", text)
            stop = stop_day
    expanded = {**data, "orders": orders}
    if stop is not None:
        expanded["stop"] = stop
    return expanded


def fill_order(data: dict[str, Any], today: date, at: tuple[str | int, ...] = ()) -> dict[str, Any]:
    """A single order with a sig: fill dose_mg and times_per_day, or check that the given ones agree.

    `at` is where the order sits in its input (("orders", 2) in a case), so errors name the right field.
    """
    text = data["sig"]
    loc = (*at, "sig")
    if not isinstance(text, str):
        raise _error(loc, "must be text", text, "Order")
    try:
        steps, stop_day = sig_orders(text, today)
    except SigError as exc:
        raise _error(loc, _unreadable(exc.problems), text, "Order") from None
    except InvalidInputError as exc:
        raise _error(loc, str(exc).removeprefix("sig: "), text[:80], "Order") from None
    if all(key not in data for key in _STRUCTURED):
        if len(steps) > 1 or stop_day is not None:
            raise _error(
                loc, "has several steps: give it in a case's orders, where each step gets a date", text, "Order"
            )
        return {
            **data,
            "dose_mg": steps[0].dose_mg,
            "times_per_day": steps[0].times_per_day,
            "food_drink": data.get("food_drink", steps[0].food_drink),
            "dose_basis": steps[0].dose_basis,
        }
    given = (data.get("dose_mg"), data.get("times_per_day"))
    if not any(_same(given, step) for step in steps):
        raise _error(
            loc,
            f"does not agree with dose_mg {given[0]} and times_per_day {given[1]}; give the sig or the numbers",
            text,
            "Order",
        )
    return data


def _same(given: tuple[object, object], step: SigOrder) -> bool:
    """The project's one number reader and one amount type: "1,000" is refused there, never read as 1."""
    dose, times = given
    try:
        value = dose if isinstance(dose, int | float) and not isinstance(dose, bool) else parse_decimal(str(dose))
        return same_mg(float(value), step.dose_mg) and int(str(times)) == step.times_per_day
    except (ValueError, OverflowError, InvalidInputError):  # NaN, infinity, or not a number
        return False


__all__ = ["expand_case", "fill_order"]
