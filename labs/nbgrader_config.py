"""nbgrader configuration for a course that runs layerlab's labs in nbgrader itself.

Put this file in the nbgrader course directory and each master as
``source/labNN-topic/labNN-topic.ipynb`` (an assignment per lab). ``nbgrader generate_assignment``
then makes student versions whose test and locked cells, answer stubs and checksums are the
same as ``./lab assign`` makes; only a solution stub differs — nbgrader has one stub per
language, so it cannot name the class and method to write as ``./lab assign`` does. Either
tool can autograde the other's student versions. The kernel must be installed where nbgrader
runs (``./lab kernel``); ``nbgrader autograde`` runs each notebook with the kernel its
metadata names, ``layerlab``.
"""

c = get_config()  # noqa: F821 — nbgrader (traitlets) defines get_config when it loads this file

# Solution regions and the stubs that replace them (the labs are Java: kernelspec language "java").
c.ClearSolutions.begin_solution_delimeter = 'BEGIN SOLUTION'
c.ClearSolutions.end_solution_delimeter = 'END SOLUTION'
c.ClearSolutions.code_stub = {
    'java': '// YOUR CODE HERE\nthrow new UnsupportedOperationException("not implemented yet — write your code here");',
}
c.ClearSolutions.text_stub = 'ВАШ ОТВЕТ ЗДЕСЬ (YOUR ANSWER HERE)'

# Hidden tests, removed from the student version and put back by autograde.
c.ClearHiddenTests.begin_test_delimeter = 'BEGIN HIDDEN TESTS'
c.ClearHiddenTests.end_test_delimeter = 'END HIDDEN TESTS'

# Autograde: a cell that runs longer is interrupted and fails; a deleted test cell is put back.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True
c.OverwriteCells.add_missing_cells = True
