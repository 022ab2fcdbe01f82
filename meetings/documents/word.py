"""The documents as Word files (python-docx), in the format of HD 36-HD/VPTW.

Every run names Times New Roman in all four w:rFonts slots: Word falls back to the
theme font for any slot left empty, and Vietnamese letters then come out in Calibri.
"""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from meetings.documents.content import Doc, Heading, Para, Table

FONT = "Times New Roman"
TEXT_WIDTH_MM = 210 - 35 - 15


def _fonts(rpr_owner):
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)


def run(par, text, size=14, b=False, i=False, u=False):
    r = par.add_run(text)
    r.font.name = FONT
    _fonts(r._r)
    r.font.size = Pt(size)
    r.font.bold = b or None
    r.font.italic = i or None
    r.font.underline = u or None
    return r


def para(container, align=WD_ALIGN_PARAGRAPH.CENTER, before=0, after=0, indent=None):
    par = container.add_paragraph()
    fmt = par.paragraph_format
    fmt.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = 1.0
    if indent is not None:
        fmt.first_line_indent = indent
    return par


def _cell_par(cell, first=False):
    # A new table cell already holds one empty paragraph: use it for the first line.
    par = cell.paragraphs[0] if first else cell.add_paragraph()
    par.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    par.paragraph_format.space_after = Pt(0)
    return par


def _widths(table, widths_mm):
    table.autofit = False
    for col, w in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(w)
        for cell in col.cells:
            cell.width = Mm(w)


def _page_numbers(section):
    """Page numbers at the top centre from page 2 (the first page has none)."""
    section.different_first_page_header_footer = True
    par = section.header.paragraphs[0]
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "2"
    r.append(t)
    field.append(r)
    par._p.append(field)
    # Font of the field result, so the number prints in the body face too.
    rpr = OxmlElement("w:rPr")
    r.insert(0, rpr)
    fonts = OxmlElement("w:rFonts")
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    rpr.append(fonts)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "28")
    rpr.append(size)


def new_document():
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(25)
    section.left_margin, section.right_margin = Mm(35), Mm(15)
    section.header_distance = Mm(10)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    _fonts(normal.element)
    _page_numbers(section)
    return document


def _header(document, doc: Doc):
    if doc.draft:
        box = para(document, WD_ALIGN_PARAGRAPH.RIGHT, after=6)
        run(box, "DỰ THẢO", 13, b=True)
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [70, TEXT_WIDTH_MM - 70])
    left, right = table.rows[0].cells
    if doc.upper_body:
        run(_cell_par(left, first=True), doc.upper_body, 14)
        run(_cell_par(left), doc.issuer, 14, b=True)
    else:
        run(_cell_par(left, first=True), doc.issuer, 14, b=True)
    run(_cell_par(left), "*", 14)
    run(_cell_par(left), doc.number, 14)
    run(_cell_par(right, first=True), doc.party, 15, b=True, u=True)
    # The place and date line sits level with the number line on the left.
    for _ in range(2 if doc.upper_body else 1):
        run(_cell_par(right), "", 14)
    run(_cell_par(right), doc.place_date, 14, i=True)
    title = para(document, before=18)
    run(title, doc.doc_type, 16, b=True)
    summary = para(document)
    run(summary, doc.summary, 14, b=True)
    run(para(document, after=12), "-----", 14)


ALIGN = {
    "L": WD_ALIGN_PARAGRAPH.LEFT,
    "C": WD_ALIGN_PARAGRAPH.CENTER,
    "R": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _table(document, block: Table):
    table = document.add_table(rows=1, cols=len(block.header))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [TEXT_WIDTH_MM * w / 100 for w in block.widths])
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        run(_cell_par(cell, first=True), text, block.size, b=True)
    for row in block.rows:
        cells = table.add_row().cells
        for n, (cell, text) in enumerate(zip(cells, row, strict=True)):
            par = _cell_par(cell, first=True)
            if block.align:
                par.paragraph_format.alignment = ALIGN[block.align[n]]
            elif n in (1, 3) or len(text) > 20:
                par.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
            run(par, text, block.size)
    _widths(table, [TEXT_WIDTH_MM * w / 100 for w in block.widths])
    para(document, after=3)


def _body(document, doc: Doc):
    for block in doc.body:
        if isinstance(block, Heading):
            par = para(document, WD_ALIGN_PARAGRAPH.LEFT, before=6, after=3)
            par.paragraph_format.keep_with_next = True
            run(par, block.text, 14, b=True)
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Para):
            if block.style == "center":
                par = para(document, before=6, after=6)
            else:
                par = para(
                    document,
                    WD_ALIGN_PARAGRAPH.JUSTIFY,
                    after=3,
                    indent=Cm(1) if block.style == "body" else Cm(0.5),
                )
            par.paragraph_format.line_spacing = 1.15
            for r in block.runs:
                run(par, r.text, 14, b=r.b, i=r.i)


def _signatures(document, doc: Doc):
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [TEXT_WIDTH_MM / 2, TEXT_WIDTH_MM / 2])
    for cell, col in zip(table.rows[0].cells, (doc.left, doc.right), strict=True):
        first = True
        if col.recipients:
            par = _cell_par(cell, first=True)
            par.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
            run(par, doc.recipients_label, 14, u=True)
            for line in col.recipients:
                par = _cell_par(cell)
                par.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
                run(par, line, 12)
            continue
        for title in col.titles:
            run(_cell_par(cell, first=first), title, 14, b=True)
            first = False
        for _ in range(4):  # room to sign
            run(_cell_par(cell, first=first), "", 14)
            first = False
        run(_cell_par(cell), col.name, 14, b=True)


def write(docs: list[Doc]) -> bytes:
    """One Word file holding the documents, each starting on a new page."""
    document = new_document()
    for n, doc in enumerate(docs):
        if n:
            document.add_page_break()
        _header(document, doc)
        _body(document, doc)
        para(document, after=6)
        _signatures(document, doc)
    # python-docx's template starts with one empty paragraph; remove it if still empty.
    first = document.paragraphs[0]
    if not first.text and not first.runs:
        first._p.getparent().remove(first._p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
