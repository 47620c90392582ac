"""Named policies of 1976-2026 and the written forms of their titles, through the real default pipeline.

The sentences are written for these tests in the styles of each era's NHS writing. Every case lists
all the POLICY mentions the sentence holds, so a missed name and an over-matched phrase both fail.
"""

from __future__ import annotations

import pytest

from conftest import spans


def policies(nlp, text: str) -> list[tuple[str, str]]:
    return [(t, canonical) for t, label, canonical in spans(nlp, text) if label == "POLICY"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # 1990s: the internal market and its successors
        (
            "From April 1991 Working for Patients brought GP fundholding and the internal market.",
            [
                ("Working for Patients", "Working for Patients"),
                ("GP fundholding", "GP Fundholding"),
                ("internal market", "Internal Market"),
            ],
        ),
        (
            "The NHS and Community Care Act 1990 also set up the community care reforms of Caring for People.",
            [
                ("NHS and Community Care Act 1990", "National Health Service and Community Care Act 1990"),
                ("Caring for People", "Caring for People"),
            ],
        ),
        (
            "Health authorities published their Patients' Charter standards and Health of the Nation targets.",
            [("Patients' Charter", "Patient's Charter"), ("Health of the Nation", "Health of the Nation")],
        ),
        (
            "Total purchasing pilots ended when the Health Act 1999 abolished fundholding.",
            [
                ("Total purchasing pilots", "Total Purchasing Pilot"),
                ("Health Act 1999", "Health Act 1999"),
                ("fundholding", "GP Fundholding"),
            ],
        ),
        # 2000s: targets, frameworks and reviews
        (
            "Three-star trusts were named in the star ratings; the mental health NSF and the NSF for Older People set standards.",
            [
                ("star ratings", "Star Rating"),
                ("mental health NSF", "National Service Framework for Mental Health"),
                ("NSF for Older People", "National Service Framework for Older People"),
            ],
        ),
        (
            "The Health and Social Care Act 2001 allowed care trusts; the National Programme for IT (NPfIT) ran late.",
            [
                ("Health and Social Care Act 2001", "Health and Social Care Act 2001"),
                ("National Programme for IT", "National Programme for IT"),
                ("NPfIT", "National Programme for IT"),
            ],
        ),
        (
            "Practice-based commissioning and World Class Commissioning preceded the Mental Health Act 2007.",
            [
                ("Practice-based commissioning", "Practice-Based Commissioning"),
                ("World Class Commissioning", "World Class Commissioning"),
                ("Mental Health Act 2007", "Mental Health Act 2007"),
            ],
        ),
        # 2010s
        (
            "Healthy Lives, Healthy People moved public health to councils, and the Public Health Outcomes Framework followed.",
            [
                ("Healthy Lives, Healthy People", "Healthy Lives, Healthy People"),
                ("Public Health Outcomes Framework", "Public Health Outcomes Framework"),
            ],
        ),
        (
            "The 5 Year Forward View and the Five-Year Forward View are one plan; so are the GP Forward View and the GPFV.",
            [
                ("5 Year Forward View", "Five Year Forward View"),
                ("Five-Year Forward View", "Five Year Forward View"),
                ("GP Forward View", "General Practice Forward View"),
                ("GPFV", "General Practice Forward View"),
            ],
        ),
        (
            "Essex joined the success regime while PF2 replaced the Private Finance Initiative.",
            [
                ("success regime", "Success Regime"),
                ("PF2", "PF2"),
                ("Private Finance Initiative", "Private Finance Initiative"),
            ],
        ),
        # 2019-2026
        (
            "The trust entered the Recovery Support Programme under the System Oversight Framework.",
            [
                ("Recovery Support Programme", "Recovery Support Programme"),
                ("System Oversight Framework", "NHS Oversight Framework"),
            ],
        ),
        (
            "The National Patient Safety Strategy led to PSIRF, which replaced the Serious Incident Framework.",
            [
                ("National Patient Safety Strategy", "NHS Patient Safety Strategy"),
                ("PSIRF", "Patient Safety Incident Response Framework"),
                ("Serious Incident Framework", "Serious Incident Framework"),
            ],
        ),
        (
            "PCNs earn the Capacity and Access Improvement Payment (CAIP) on top of the global sum, and Pharmacy First began in 2024.",
            [
                ("Capacity and Access Improvement Payment", "Capacity and Access Improvement Payment"),
                ("CAIP", "Capacity and Access Improvement Payment"),
                ("global sum", "Global Sum"),
                ("Pharmacy First", "Pharmacy First"),
            ],
        ),
        (
            "Discharge to assess (D2A) was funded through the Hospital Discharge Programme.",
            [
                ("Discharge to assess", "Discharge to Assess"),
                ("D2A", "Discharge to Assess"),
                ("Hospital Discharge Programme", "Hospital Discharge Programme"),
            ],
        ),
        (
            "The NHS Long Term Workforce Plan and the long-term workforce plan are the same document.",
            [
                ("NHS Long Term Workforce Plan", "Long Term Workforce Plan"),
                ("long-term workforce plan", "Long Term Workforce Plan"),
            ],
        ),
        (
            "The Ten Year Health Plan, the 10-Year Health Plan and the 10 Year Health Plan for England are one plan.",
            [
                ("Ten Year Health Plan", "10 Year Health Plan"),
                ("10-Year Health Plan", "10 Year Health Plan"),
                ("10 Year Health Plan for England", "10 Year Health Plan"),
            ],
        ),
        (
            "The Urgent and Emergency Care Plan 2025/26 came before the Medium Term Planning Framework.",
            [
                ("Urgent and Emergency Care Plan 2025/26", "Urgent and Emergency Care Plan 2025/26"),
                ("Medium Term Planning Framework", "Medium Term Planning Framework"),
            ],
        ),
        (
            "The Mental Health Act 2025 reforms the Mental Health Act 1983; the NHS Act 2006 is unchanged.",
            [
                ("Mental Health Act 2025", "Mental Health Act 2025"),
                ("Mental Health Act 1983", "Mental Health Act 1983"),
                ("NHS Act 2006", "National Health Service Act 2006"),
            ],
        ),
        (
            "We are the NHS: People Plan for 2020/21 followed the Interim NHS People Plan.",
            [
                ("We are the NHS: People Plan for 2020/21", "NHS People Plan"),
                ("Interim NHS People Plan", "Interim NHS People Plan"),
            ],
        ),
        (
            "The four hour target and the 4-hour target are one standard, like the two-week wait and the 2-week wait.",
            [
                ("four hour target", "Four-Hour Target"),
                ("4-hour target", "Four-Hour Target"),
                ("two-week wait", "Two-Week Wait"),
                ("2-week wait", "Two-Week Wait"),
            ],
        ),
    ],
)
def test_named_policies_and_their_written_forms(nlp, text, expected):
    assert policies(nlp, text) == expected


# The statutory plans every local system writes: one POLICY per kind, in any case and number, with a
# descriptive prefix ("five-year", "draft", "refreshed") left out of the span.
@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Each ICB and its partner trusts must publish joint forward plans; the Five Year Joint Forward Plan (JFP) "
            "was refreshed in March.",
            [
                ("joint forward plans", "Joint Forward Plan"),
                ("Joint Forward Plan", "Joint Forward Plan"),
                ("JFP", "Joint Forward Plan"),
            ],
        ),
        (
            "The partnership's integrated care strategy, also called the ICP strategy, draws on the Joint Strategic "
            "Needs Assessments of its three councils.",
            [
                ("integrated care strategy", "Integrated Care Strategy"),
                ("ICP strategy", "Integrated Care Strategy"),
                ("Joint Strategic Needs Assessments", "Joint Strategic Needs Assessment"),
            ],
        ),
        (
            "Until 2022 boards wrote a joint health and wellbeing strategy (JHWS); now the draft Joint Local HWB "
            "Strategy (JLHWS) and the JSNA go to the board together.",
            [
                ("joint health and wellbeing strategy", "Joint Health and Wellbeing Strategy"),
                ("JHWS", "Joint Health and Wellbeing Strategy"),
                ("Joint Local HWB Strategy", "Joint Local Health and Wellbeing Strategy"),
                ("JLHWS", "Joint Local Health and Wellbeing Strategy"),
                ("JSNA", "Joint Strategic Needs Assessment"),
            ],
        ),
        (
            "A new pharmaceutical needs assessment (PNA) is due every three years.",
            [
                ("pharmaceutical needs assessment", "Pharmaceutical Needs Assessment"),
                ("PNA", "Pharmaceutical Needs Assessment"),
            ],
        ),
    ],
)
def test_statutory_local_plans_are_policies(nlp, text, expected):
    assert policies(nlp, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Ratings under the CCG IAF, later the CCG improvement and assessment framework, fed the NHS Oversight Framework.",
            [
                ("CCG IAF", "CCG Improvement and Assessment Framework"),
                ("CCG improvement and assessment framework", "CCG Improvement and Assessment Framework"),
                ("NHS Oversight Framework", "NHS Oversight Framework"),
            ],
        ),
        (
            "Footprints were drawn under the NHS shared planning guidance; the 2024/25 priorities and operational "
            "planning guidance asked for less.",
            [
                ("NHS shared planning guidance", "NHS Shared Planning Guidance"),
                ("priorities and operational planning guidance", "Priorities and Operational Planning Guidance"),
            ],
        ),
        (
            "After the Dash review of the CQC came the Dash Review of the safety landscape; the Lenehan review came much earlier.",
            [
                ("Dash review of the CQC", "Review into the Operational Effectiveness of the Care Quality Commission"),
                ("Dash Review", "Dash Review"),
                ("Lenehan review", "Lenehan Review"),
            ],
        ),
        (
            "The NHS primary care recovery plan set targets, and each trust holds the NHS provider licence.",
            [
                ("NHS primary care recovery plan", "Delivery Plan for Recovering Access to Primary Care"),
                ("NHS provider licence", "NHS Provider Licence"),
            ],
        ),
        (
            "Papers were exempt under the Local Government Act 1972; interests follow the Localism Act 2011.",
            [("Local Government Act 1972", "Local Government Act 1972"), ("Localism Act 2011", "Localism Act 2011")],
        ),
    ],
)
def test_national_guidance_reviews_and_local_government_acts(nlp, text, expected):
    assert policies(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The board agreed a ten year plan and a five year strategy for the estate.",
        "Under the payment scheme's rules the practice was paid late.",
        "Staff working for patients deserve better, and caring for people is hard.",
        "The trust wants to be a model hospital for the region.",
        "The government promised a first class service and a healthy start for children.",
        "Ministers talked about the health of the nation at length.",
        "The trust's patient safety incident policy was reviewed.",
        "The trust's patient safety strategy and its diabetes prevention work were updated.",
        "Inflation cut the total purchasing power of the budget.",
        "The practice offers pharmacy first advice and enhanced access to its website.",
        "The council's Forward Plan lists the key decisions due this quarter.",
        "Our operational plan and the trust's health and wellbeing strategy for staff were approved.",
    ],
)
def test_generic_phrases_are_not_policies(nlp, text):
    assert policies(nlp, text) == []
