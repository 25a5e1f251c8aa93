"""English given names and their everyday short forms: "Hi Bob" greets Robert, "Dear Liz" greets Elizabeth."""

from __future__ import annotations

import functools

# Each group is one name and its usual short forms. A short form may belong to several groups
# (Chris: Christopher and Christine; Sam: Samuel and Samantha).
_GROUPS: tuple[tuple[str, ...], ...] = (
    ("robert", "bob", "bobby", "rob", "robbie", "bert"),
    ("william", "bill", "billy", "will", "willy", "willie", "liam"),
    ("michael", "mike", "mikey", "mick", "mickey"),
    ("katherine", "catherine", "kathryn", "katharine", "kate", "katie", "kathy", "cathy", "kat", "kitty"),
    ("elizabeth", "liz", "lizzie", "lizzy", "beth", "betty", "eliza", "libby", "elisabeth"),
    ("thomas", "tom", "tommy"),
    ("james", "jim", "jimmy", "jamie"),
    ("john", "jack", "johnny"),
    ("jonathan", "jon", "jonny"),
    ("richard", "rick", "ricky", "dick", "rich", "richie"),
    ("joseph", "joe", "joey"),
    ("charles", "charlie", "chuck"),
    ("christopher", "chris", "topher"),
    ("christine", "christina", "chris", "chrissy", "tina"),
    ("daniel", "dan", "danny"),
    ("david", "dave", "davy", "davey"),
    ("matthew", "matt"),
    ("anthony", "tony"),
    ("andrew", "andy", "drew"),
    ("steven", "stephen", "steve"),
    ("edward", "ed", "eddie", "ted", "ned"),
    ("benjamin", "ben", "benny"),
    ("samuel", "sam", "sammy"),
    ("samantha", "sam", "sammy"),
    ("alexander", "alex", "al", "xander"),
    ("alexandra", "alex", "lexi"),
    ("nicholas", "nick", "nicky"),
    ("patricia", "pat", "patty", "trish"),
    ("patrick", "pat", "paddy"),
    ("jennifer", "jen", "jenny"),
    ("margaret", "maggie", "meg", "peggy", "marge"),
    ("susan", "sue", "susie", "suzy"),
    ("deborah", "debbie", "deb"),
    ("rebecca", "becky", "becca"),
    ("jessica", "jess", "jessie"),
    ("victoria", "vicky", "tori"),
    ("gregory", "greg"),
    ("jeffrey", "geoffrey", "jeff", "geoff"),
    ("timothy", "tim", "timmy"),
    ("kenneth", "ken", "kenny"),
    ("ronald", "ron", "ronnie"),
    ("donald", "don", "donny"),
    ("raymond", "ray"),
    ("lawrence", "larry"),
    ("frederick", "fred", "freddie"),
    ("peter", "pete"),
    ("philip", "phillip", "phil"),
    ("douglas", "doug"),
    ("gerald", "gerry", "jerry"),
    ("harold", "harry", "hal"),
    ("henry", "hank", "harry"),
    ("zachary", "zach", "zack"),
    ("nathan", "nathaniel", "nate", "nat"),
    ("abigail", "abby"),
    ("amanda", "mandy"),
    ("cynthia", "cindy"),
    ("judith", "judy"),
    ("kimberly", "kim"),
    ("pamela", "pam"),
    ("sandra", "sandy"),
    ("theodore", "theo", "ted"),
    ("vincent", "vince"),
    ("leonard", "leo", "len", "lenny"),
    ("jacob", "jake"),
    ("joshua", "josh"),
    ("gabriel", "gabe"),
    ("francis", "frank"),
    ("franklin", "frank"),
    ("allison", "alison", "allie", "ali"),
    ("suzanne", "sue", "suzy"),
    ("stanley", "stan"),
    ("walter", "walt"),
)


@functools.cache
def _index() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for group in _GROUPS:
        for name in group:
            found.setdefault(name, set()).update(group)
    return {name: frozenset(names) for name, names in found.items()}


def same_person_names(word: str) -> frozenset[str]:
    """The lower-case names `word` may stand for (itself included): "bob" gives robert, rob, bobby, …."""
    lowered = word.lower()
    return _index().get(lowered, frozenset({lowered}))
