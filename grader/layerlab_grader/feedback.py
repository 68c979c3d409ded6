"""Feedback pages: one static HTML page per student and notebook (nbgrader's
``feedback/STUDENT/ASSIGNMENT/NOTEBOOK.html``) and an index per student. Every part with its
points, its status and the messages a student can act on; no JavaScript, no external resources,
and nothing of the hidden tests (the messages were redacted when they were recorded).
"""
import html
import os

from . import report

STYLE = """
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border: 1px solid #bbb; padding: .3em .7em; text-align: left; }
td.points { text-align: right; white-space: nowrap; }
section { border-top: 1px solid #ccc; margin-top: 1.5em; }
pre { background: #f5f5f5; padding: .6em; white-space: pre-wrap; overflow-wrap: anywhere; }
.passed { color: #176a1f; } .failed { color: #a1160a; } .partial { color: #8a5a00; } .manual { color: #24479b; }
.notice { background: #fff4d6; border: 1px solid #e0b84a; padding: .6em; }
"""
STATUS = {'passed': 'passed', 'partial': 'partial', 'failed': 'failed', 'needs manual grading': 'manual',
          'graded by hand': 'manual', 'no answer': 'failed'}


def esc(s):
    return html.escape(str(s), quote=True)


def pts(x):
    return f'{float(x):g}'


def write_all(out, records):
    """Writes every page; returns their paths."""
    pages = []
    for student in sorted({r['student'] for r in records}):
        mine = [r for r in records if r['student'] == student]
        links = []
        for r in mine:
            for nb in r['notebooks']:
                path = os.path.join(out, 'feedback', student, r['assignment'], nb['notebook'] + '.html')
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, 'w', encoding='utf-8') as f:
                    f.write(page(r, nb))
                pages.append(path)
                links.append((r, nb, os.path.relpath(path, os.path.join(out, 'feedback', student))))
        index = os.path.join(out, 'feedback', student, 'index.html')
        with open(index, 'w', encoding='utf-8') as f:
            f.write(student_index(student, links))
        pages.append(index)
    return pages


def _doc(title, body):
    return ('<!DOCTYPE html>\n<html lang="ru">\n<head>\n<meta charset="utf-8">\n'
            f'<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n')


def student_index(student, links):
    rows = ''.join(f'<tr><td><a href="{esc(href)}">{esc(r["assignment"])} / {esc(nb["notebook"])}</a></td>'
                   f'<td class="points">{pts(_sum(r, nb, "points"))} / {pts(_sum(r, nb, "max_points"))}</td></tr>\n'
                   for r, nb, href in links)
    body = (f'<h1>Результаты (feedback): {esc(student)}</h1>\n<table>\n<tr><th>Работа (assignment)</th>'
            f'<th>Баллы (points)</th></tr>\n{rows}</table>')
    return _doc(f'Feedback: {student}', body)


def _sum(record, nb, key):
    return sum(t[key] for t in record['tests'] if t['notebook'] == nb['notebook'])


def page(record, nb):
    tests = [t for t in record['tests'] if t['notebook'] == nb['notebook']]
    got, most = sum(t['points'] for t in tests), sum(t['max_points'] for t in tests)
    pending = sum(t['max_points'] for t in tests if t['status'] == 'needs manual grading')
    head = [f'<h1>{esc(record["assignment"])} / {esc(nb["notebook"])}: результаты (feedback)</h1>',
            f'<p>Студент (student): <b>{esc(record["student"])}</b>. Проверено (graded): {esc(record["graded_at"])}.</p>',
            f'<p class="total">Итого (total): <b>{pts(got)} из {pts(most)}</b> баллов (points).'
            + (f' Ещё {pts(pending)} проверит преподаватель (needs manual grading).' if pending else '') + '</p>']
    if nb['problem']:
        head.append(f'<p class="notice">{esc(nb["problem"])}</p>')
    if nb['events']:
        head.append('<div class="notice"><p>Изменения в проверочных ячейках (changes to graded or locked cells) — '
                    'для оценки использованы ячейки преподавателя (the teacher\'s cells were used):</p><ul>'
                    + ''.join(f'<li><pre>{esc(e["detail"])}</pre></li>' for e in nb['events']) + '</ul></div>')
    rows = ''.join(f'<tr><td><a href="#{esc(t["grade_id"])}">{esc(t["title"])}</a></td><td class="points">'
                   f'{pts(t["points"])} / {pts(t["max_points"])}</td><td class="{STATUS.get(t["status"], "failed")}">'
                   f'{esc(t["status"])}</td></tr>\n' for t in tests)
    table = ('<table>\n<tr><th>Часть (part)</th><th>Баллы (points)</th><th>Итог (status)</th></tr>\n'
             f'{rows}</table>')
    return _doc(f'{record["assignment"]}: {record["student"]}', '\n'.join(head) + '\n' + table + '\n'
                + '\n'.join(_part(t) for t in tests))


def _part(t):
    css = STATUS.get(t['status'], 'failed')
    out = [f'<section id="{esc(t["grade_id"])}">', f'<h2>{esc(t["title"])} <small>({esc(t["grade_id"])})</small></h2>',
           f'<p class="{css}">{pts(t["points"])} / {pts(t["max_points"])} — {esc(t["status"])}</p>']
    message = report.full_message(t)
    if message:
        out.append(f'<pre class="message">{esc(message)}</pre>')
    if t['kind'] == 'manual' and t['output']:
        out.append(f'<details><summary>Ваш ответ (your answer)</summary><pre>{esc(t["output"])}</pre></details>')
    elif t['output']:
        out.append(f'<details><summary>Вывод ячейки (the cell\'s output)</summary><pre>{esc(t["output"])}</pre></details>')
    out.append('</section>')
    return '\n'.join(out)
