"""Named texts written for the tests (never copied from a corpus)."""

SOURCED = (
    "The city council approved the budget on Tuesday, according to the council's minutes. "
    '"We have balanced the books without cutting services," said Mayor Ana Ruiz. '
    "Finance director Tom Bell told reporters the deficit had fallen to 2 million euros. "
    "The figures were confirmed by Reuters [1].\n\nSources:\n[1] Reuters, 3 May"
)
UNSOURCED = (
    "The budget is a disaster for the city. Taxes will rise for every family. "
    "The council has wasted money for years and nobody cares about residents."
)
TYPO_NKH = "Reports from the Japanese outlet NKH, citing diplomatic sources, say 25,000 workers will go."
CORRECT_NHK = (
    "Japan's public broadcaster NHK reported the plan, according to diplomatic sources cited by NHK."
)
MISSPELLED_WORDS = "The goverment will recieve the report on Monday, officials said."
CLEAN_PROPER_NOUNS = (
    "Kyrylo Budanov met officials from NATO and the UN in Kyiv on Monday to discuss UAV production "
    "in Tatarstan; see https://example.org/report for the GDP figures."
)
NAME_VARIANTS = (
    "Sergei Shoigu visited Pyongyang. Later, Sergey Shoigu met the leader again. Shoigu left on Friday."
)
FILLER = (
    "The bridge opened on Monday, the city said.\n"
    "Skip to content\n"
    "Leave a Reply\n"
    "Your email address will not be published. Required fields are marked *\n"
    "Tags: bridge, city, transport\n"
    "The importance of this bridge cannot be overstated. Let's dive into it."
)
DUPLICATED = (
    "The hospital opened a new emergency department for children on Monday, officials said. "
    "It has 14 beds. "
    "The hospital opened a new emergency department for children on Monday, officials said."
)
TIGHT = (
    "The bridge, 160 metres long, opened to cyclists on Monday, the city transport office said. "
    "It cost 12 million euros and took two years to build, according to the office."
)
HEDGED = "In fact, Moscow seems to be targeting African women from impoverished backgrounds."
VAGUE = "Some reports suggest the factory will double its output next year."
UNATTRIBUTED = (
    "The company fired 300 workers because of the new tax. The decision to sack them was completely illegal."
)
ATTRIBUTED = (
    "The company fired 300 workers, its chief executive Maria Lind said on Monday. "
    "Lind told Reuters that the new tax had forced the decision."
)
CLICKBAIT_TITLES = [
    "North Korea’s Shocking Deal: 25,000 Workers for Russian Drone Aid!",
    "You Won't Believe What This Mayor Did Next",
    "17 Things Only Nurses Will Understand",
    "Here's Why Everyone Is Talking About The New Budget",
]
NEWS_TITLES = [
    "North Korea to Send Thousands of Workers to Russia for Drone Production",
    "Parliament passes budget with 312 votes",
    "Flooding closes 14 schools in northern Italy",
    "Central bank holds interest rates at 4.5%",
]


#: Python code that refuses every network connection in the interpreter that runs it, and
#: points NLTK at an empty folder (format it with ``nltk_data``); tests run it first in a fresh
#: interpreter to show that nothing is downloaded.
NO_NETWORK = """
import os, socket
os.environ["NLTK_DATA"] = {nltk_data!r}
def refuse(*a, **k):
    raise OSError("network disabled in this test")
socket.socket.connect = refuse
socket.create_connection = refuse
"""
