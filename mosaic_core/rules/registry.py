"""Every permute and maskout rule, by name.

Adding a rule: write it in ``permute.py`` or ``maskout.py`` and add it to that
module's tuple; give its template family sentences in each template pack
(``text/packs/<language>.json``, ``docs/template_packs.md``). The engine, the
verifier, the template checks and the settings page read everything else from
the ``Rule`` itself.
"""

from __future__ import annotations

from mosaic_core.errors import UnknownNameError
from mosaic_core.rules.base import Rule
from mosaic_core.rules.maskout import MASKOUT_RULES
from mosaic_core.rules.permute import PERMUTE_RULES

__all__ = ["ORDERED_STRATEGIES", "RULES", "get_rule", "masks", "rules_of"]

ORDERED_STRATEGIES = ("permute", "maskout")
"""The strategies whose mosaics carry a rule."""

RULES: dict[str, Rule] = {rule.name: rule for rule in (*PERMUTE_RULES, *MASKOUT_RULES)}


def get_rule(name: str) -> Rule:
    """The rule registered under ``name``.

    >>> get_rule("permute.reverse").strategy
    'permute'
    """
    try:
        return RULES[name]
    except KeyError:
        raise UnknownNameError("rule", name, RULES) from None


def rules_of(strategy: str) -> list[str]:
    """Names of the rules of one strategy, in registry order.

    >>> rules_of("maskout")[:2]
    ['maskout.fix', 'maskout.longest_words']
    """
    return [name for name, item in RULES.items() if item.strategy == strategy]


def masks(family: str) -> bool:
    """Whether a template family is a mask rule's: its sentences say which instructions go unanswered.

    >>> masks("maskout.odd"), masks("permute.odd_first"), masks("format.plain")
    (True, False, False)
    """
    rule = RULES.get(family)
    return rule is not None and rule.masks
