"""The examples from Moodle's GIFT format documentation, read the way Moodle reads them.

Each example is written as the documentation shows it; the expected values are
what Moodle's importer (qformat_gift) stores for it.
"""

from __future__ import annotations

import dataclasses

import pytest

from app.content.gift import Answer, MatchPair, NumericalAnswer, parse_gift, write_gift


def read(text: str):
    result = parse_gift(text)
    errors = [p.format() for p in result.problems if p.is_error]
    assert errors == []
    return result


def only(text: str):
    (q,) = read(text).questions
    return q


# ------------------------------------------------------------------ the quick sample file

SAMPLE = """\
// true/false
::Q1:: 1+1=2 {T}

// multiple choice with specified feedback for right and wrong answers
::Q2:: What's between orange and green in the spectrum?
{ =yellow # right; good! ~red # wrong, it's yellow ~blue # wrong, it's yellow }

// fill-in-the-blank
::Q3:: Two plus {=two =2} equals four.

// matching
::Q4:: Which animal eats which food? { =cat -> cat food =dog -> dog food }

// math range question
::Q5:: What is a number from 1 to 5? {#3:2}

// math range specified with interval end points
::Q6:: What is a number from 1 to 5? {#1..5}
// translated on import to the same as Q5, but unavailable from Moodle question interface

// multiple numeric answers with partial credit and feedback
::Q7:: When was Ulysses S. Grant born? {#
         =1822:0      # Correct! Full credit.
         =%50%1822:2  # He was born in 1822. Half credit for being close.
}

// essay
::Q8:: How are you? {}
"""


def test_sample_file():
    result = read(SAMPLE)
    q1, q2, q3, q4, q5, q6, q7, q8 = result.questions
    assert (q1.type, q1.text, q1.answers) == (
        "true_false", "1+1=2", [Answer("true", 1.0), Answer("false", 0.0)])
    assert q2.type == "single_choice"
    assert q2.text == "What's between orange and green in the spectrum?"
    assert q2.answers == [
        Answer("yellow", 1.0, "right; good!"),
        Answer("red", 0.0, "wrong, it's yellow"),
        Answer("blue", 0.0, "wrong, it's yellow"),
    ]
    assert (q3.type, q3.text) == ("short_answer", "Two plus _____ equals four.")
    assert q3.answers == [Answer("two", 1.0), Answer("2", 1.0)]
    assert (q4.type, q4.answers) == ("matching", [MatchPair("cat", "cat food"), MatchPair("dog", "dog food")])
    assert q5.answers == q6.answers == [NumericalAnswer(3.0, 2.0, 1.0)]
    assert q7.answers == [
        NumericalAnswer(1822.0, 0.0, 1.0, "Correct! Full credit."),
        NumericalAnswer(1822.0, 2.0, 0.5, "He was born in 1822. Half credit for being close."),
    ]
    assert (q8.type, q8.text, q8.answers) == ("essay", "How are you?", [])
    assert [q.line for q in result.questions] == [2, 5, 9, 12, 15, 18, 22, 28]
    # Moodle asks for three matching pairs; Q4 has two.
    assert [p.code for p in result.problems] == ["GIFT025"]


# ------------------------------------------------------------------ question types


def test_multiple_choice():
    q = only("Who's buried in Grant's tomb?{=Grant ~no one ~Napoleon ~Churchill ~Mother Teresa }")
    assert q.type == "single_choice"
    assert q.text == "Who's buried in Grant's tomb?"
    assert [(a.text, a.fraction) for a in q.answers] == [
        ("Grant", 1.0), ("no one", 0.0), ("Napoleon", 0.0), ("Churchill", 0.0), ("Mother Teresa", 0.0)]


def test_multiple_choice_over_several_lines():
    q = only("""\
Who's buried in Grant's tomb?{
     =Grant
     ~No one               # Was true for 12 years, but Grant's remains were buried in the tomb in 1897
     ~Napoleon             # He was buried in France
     ~Churchill            # He was buried in England
     ~Mother Teresa        # She was buried in India
}""")
    assert q.answers[1] == Answer(
        "No one", 0.0, "Was true for 12 years, but Grant's remains were buried in the tomb in 1897")
    assert q.answers[4] == Answer("Mother Teresa", 0.0, "She was buried in India")


def test_missing_word_multiple_choice():
    q = only("Moodle costs {~lots of money =nothing ~a small amount} to download from moodle.org.")
    assert q.type == "single_choice"
    assert q.text == "Moodle costs _____ to download from moodle.org."
    assert [a.text for a in q.answers] == ["lots of money", "nothing", "a small amount"]


def test_short_answer():
    q = only("Who's buried in Grant's tomb?{=Grant =Ulysses S. Grant =Ulysses Grant}")
    assert q.type == "short_answer"
    assert [a.text for a in q.answers] == ["Grant", "Ulysses S. Grant", "Ulysses Grant"]
    q = only("Two plus two equals {=four =4}.")
    assert (q.type, q.text) == ("short_answer", "Two plus two equals _____.")


def test_true_false():
    q = only("Grant is buried in Grant's tomb.{F}")
    assert q.answers == [Answer("true", 0.0), Answer("false", 1.0)]
    q = only("The sun rises in the east.{T}")
    assert q.answers == [Answer("true", 1.0), Answer("false", 0.0)]


def test_matching():
    q = only("""\
Match the following countries with their corresponding capitals. {
    =Canada -> Ottawa
    =Italy  -> Rome
    =Japan  -> Tokyo
    =India  -> New Delhi
    }""")
    assert q.type == "matching"
    assert q.answers == [MatchPair("Canada", "Ottawa"), MatchPair("Italy", "Rome"),
                         MatchPair("Japan", "Tokyo"), MatchPair("India", "New Delhi")]


def test_matching_with_extra_answers():
    q = only("""\
Match the following countries with their corresponding capitals. {
    =Canada -> Ottawa
    =Italy  -> Rome
    =Japan  -> Tokyo
    =India  -> New Delhi
    = -> Washington
    = -> Paris
    }""")
    assert q.answers[-2:] == [MatchPair("", "Washington"), MatchPair("", "Paris")]


def test_numerical():
    assert only("When was Ulysses S. Grant born?{#1822}").answers == [NumericalAnswer(1822.0, 0.0, 1.0)]
    q = parse_gift("What is the value of pi (to 3 decimal places)? {#3.1415:0.0005}.").questions[0]
    assert q.answers == [NumericalAnswer(3.1415, 0.0005, 1.0)]
    # The "." after the braces makes it a missing-word question, exactly as in Moodle.
    assert q.text == "What is the value of pi (to 3 decimal places)? _____."
    q = only("What is the value of pi (to 3 decimal places)? {#3.141..3.142}.")
    assert q.answers[0].value == pytest.approx(3.1415)
    assert q.answers[0].tolerance == pytest.approx(0.0005)


def test_numerical_with_several_answers():
    q = only("""\
When was Ulysses S. Grant born? {#
    =1822:0
    =%50%1822:2}""")
    assert q.answers == [NumericalAnswer(1822.0, 0.0, 1.0), NumericalAnswer(1822.0, 2.0, 0.5)]


def test_essay():
    q = only("Write a short biography of Dag Hammarskjöld. {}")
    assert (q.type, q.text) == ("essay", "Write a short biography of Dag Hammarskjöld.")


def test_description():
    q = parse_gift("You can use your pencil and paper for these next math questions.").questions[0]
    assert (q.type, q.answers) == ("description", [])


# ------------------------------------------------------------------ options


def test_percentage_answer_weights():
    q = only("""\
Difficult question.{
    ~wrong answer           # comment on wrong answer
    ~%50%half credit answer # comment on answer
    =full credit answer     # well done!}""")
    assert q.type == "single_choice"
    assert q.answers == [
        Answer("wrong answer", 0.0, "comment on wrong answer"),
        Answer("half credit answer", 0.5, "comment on answer"),
        Answer("full credit answer", 1.0, "well done!"),
    ]


def test_weights_in_short_answer():
    q = only("""\
::Jesus' hometown:: Jesus Christ was from {
    =Nazareth#Yes! That's right!
    =%75%Nazereth#Right, but misspelled.
    =%25%Bethlehem#He was born here, but not raised here.}""")
    assert q.name == "Jesus' hometown"
    assert q.answers == [
        Answer("Nazareth", 1.0, "Yes! That's right!"),
        Answer("Nazereth", 0.75, "Right, but misspelled."),
        Answer("Bethlehem", 0.25, "He was born here, but not raised here."),
    ]


def test_weights_in_missing_word_multiple_choice():
    q = only("""\
::Jesus' hometown::Jesus Christ was from {
    ~Jerusalem#This was an important city, but the wrong answer.
    ~%25%Bethlehem#He was born here, but not raised here.
    ~%50%Galilee#You need to be more specific.
    =Nazareth#Yes! That's right!}.""")
    assert q.text == "Jesus Christ was from _____."
    assert [a.fraction for a in q.answers] == [0.0, 0.25, 0.5, 1.0]


def test_multiple_answers_with_negative_weights():
    q = only("""\
What two people are entombed in Grant's tomb? {
    ~%-100%No one
    ~%50%Grant
    ~%50%Grant's wife
    ~%-100%Grant's father
}""")
    assert q.type == "multiple_choice"
    assert [(a.text, a.fraction) for a in q.answers] == [
        ("No one", -1.0), ("Grant", 0.5), ("Grant's wife", 0.5), ("Grant's father", -1.0)]


def test_true_false_feedback():
    q = only("Grant is buried in Grant's tomb.{FALSE#No one is buried in Grant's tomb.}")
    assert q.answers == [Answer("true", 0.0, "No one is buried in Grant's tomb."), Answer("false", 1.0, "")]


def test_question_name_and_multi_line_text():
    q = only("::Kanji Origins::Japanese characters originally\ncame from what country? {=China}")
    assert (q.name, q.text) == ("Kanji Origins", "Japanese characters originally\ncame from what country?")
    q = only("::Thanksgiving Date::The American holiday of Thanksgiving is\n"
             "celebrated on the {~second ~third =fourth} Thursday of November.")
    assert q.text == "The American holiday of Thanksgiving is\ncelebrated on the _____ Thursday of November."


def test_general_feedback():
    q = only("""\
// Question: 1 name: Grants tomb
::Grants tomb::Who is buried in Grant's tomb in New York City? {
=Grant
~No one
#Was true for 12 years, but Grant's remains were buried in the tomb in 1897
####This was a tricky question.
}""")
    assert q.general_feedback == "This was a tricky question."
    assert q.answers[1] == Answer(
        "No one", 0.0, "Was true for 12 years, but Grant's remains were buried in the tomb in 1897")


def test_special_characters_escaped():
    q = only("""\
Which answer equals 5? {
    ~ \\= 2 + 2
    = \\= 2 + 3
    ~ \\= 2 + 4  }""")
    assert [(a.text, a.fraction) for a in q.answers] == [("= 2 + 2", 0.0), ("= 2 + 3", 1.0), ("= 2 + 4", 0.0)]


def test_gift_control_characters_example():
    q = only("""\
::GIFT Control Characters::
Which of the following is NOT a control character for the GIFT import format? {
   ~ \\~     # \\~ is a control character.
   ~ \\=     # \\= is a control character.
   ~ \\#     # \\# is a control character.
   ~ \\{     # \\{ is a control character.
   ~ \\}     # \\} is a control character.
   = \\\\     # Correct! \\\\ (backslash) is not a control character. BUT,
              it is used to escape the control characters.
}""")
    assert q.name == "GIFT Control Characters"
    assert [a.text for a in q.answers] == ["~", "=", "#", "{", "}", "\\"]
    assert q.answers[0].feedback == "~ is a control character."
    assert q.answers[5] == Answer(
        "\\", 1.0, "Correct! \\ (backslash) is not a control character. BUT,\n"
                   "it is used to escape the control characters.")


def test_format_tags():
    q = only("::Q1::[html]Is this <b>bold</b>?{T}")
    assert (q.format, q.text) == ("html", "Is this <b>bold</b>?")
    q = only("[markdown]Which of these is **bold**? {=this ~that}")
    assert (q.format, q.text) == ("markdown", "Which of these is **bold**?")


def test_category():
    result = read("$CATEGORY: tom\n\n::Q1:: 1+1=2 {T}\n\n$CATEGORY: $course$/top/Default for Course/sub\n\n"
                  "::Q2:: 1+1=3 {F}")
    assert [q.category for q in result.questions] == ["tom", "$course$/top/Default for Course/sub"]


def test_idnumber_and_tags():
    q = only("// [id:myquestion] [tag:tag1] [tag:tag2]\n::Question title:: Question text {T}")
    assert (q.idnumber, q.tags, q.name, q.id) == ("myquestion", ["tag1", "tag2"], "Question title",
                                                  "Question title")


def test_every_documented_example_round_trips():
    examples = SAMPLE + "\n\n" + "\n\n".join([
        "Who's buried in Grant's tomb?{=Grant =Ulysses S. Grant =Ulysses Grant}",
        "Match the following countries {=Canada -> Ottawa =Italy -> Rome = -> Paris}",
        "What two people? {~%-100%No one ~%50%Grant ~%50%Grant's wife ~%-100%Grant's father}",
        "Grant is buried in Grant's tomb.{FALSE#No one is buried in Grant's tomb.}",
        "Which answer equals 5? {~ \\= 2 + 2 = \\= 2 + 3 ~ \\= 2 + 4}",
        "::Q1::[html]Is this <b>bold</b>?{T}",
        "Jesus Christ was from {~Jerusalem ~%25%Bethlehem ~%50%Galilee =Nazareth#Yes!}.",
    ])
    questions = parse_gift(examples).questions
    again = parse_gift(write_gift(questions)).questions
    assert [dataclasses.replace(q, line=0) for q in again] == [dataclasses.replace(q, line=0) for q in questions]
