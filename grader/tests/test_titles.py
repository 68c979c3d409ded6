"""The titles the feedback page and the reports give each graded cell: Markdown and TeX as plain text."""
import unittest

import nbformat

from layerlab_grader import grade


class PlainText(unittest.TestCase):
    def test_tex_becomes_unicode(self):
        self.assertEqual(grade.plain_text(r"Из части 3: $\sigma'(x) \le 1/4$."), "Из части 3: σ'(x) ≤ 1/4.")
        self.assertEqual(grade.plain_text(r'$\max(a_1 x + b_1,\ a_2 x + b_2)$'), 'max(a₁ x + b₁, a₂ x + b₂)')
        self.assertEqual(grade.plain_text(r'равным $-\infty$, а не 0'), 'равным -∞, а не 0')
        self.assertEqual(grade.plain_text(r'$\sigma^2_{B}$ и $x^{n}$'), 'σ²_B и xⁿ')

    def test_a_subscript_without_unicode_letters_keeps_its_letters(self):
        self.assertEqual(grade.plain_text(r'$\mu_{avg}$'), 'μ_(avg)')

    def test_markdown_marks_are_dropped_and_plain_text_is_kept(self):
        self.assertEqual(grade.plain_text('**Вопрос 1.** Слой `MyDropout`, цена $5'), 'Вопрос 1. Слой MyDropout, цена $5')

    def test_titles_of_a_master_read_without_tex(self):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell('## Вопрос (1 балл). Почему $\\gamma$ и $\\beta$ обучаются?'),
                    nbformat.v4.new_markdown_cell('ответ', metadata={'nbgrader': {
                        'grade': True, 'solution': True, 'grade_id': 'answer-gb', 'points': 1, 'locked': False,
                        'schema_version': 3}})]
        self.assertEqual(grade.titles(nb), {'answer-gb': 'Вопрос (1 балл). Почему γ и β обучаются?'})


if __name__ == '__main__':
    unittest.main()
