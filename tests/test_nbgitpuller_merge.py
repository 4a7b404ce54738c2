"""What nbgitpuller does to a learner's copy of the course when the teacher updates it.

deploy/README.md hands the notebooks out with nbgitpuller links. Each click on such a link runs
nbgitpuller's ``GitPuller.pull()`` in the learner's server: the first time it clones the course,
later it fetches and merges. These tests run that same code (nbgitpuller from PyPI) against a
course repository made here with git, and pin down the behaviour deploy/README.md documents:

- a file the learner did not touch follows the teacher's update;
- where learner and teacher changed the same lines, the learner's lines win (``merge -Xours``),
  and the teacher's changes elsewhere in the same file still arrive;
- a file the learner deleted comes back (deleting a notebook and clicking the link again is how
  a learner gets a fresh copy);
- a file of the learner's own that clashes with a new file of the teacher is renamed to
  ``name__YYYYmmddHHMMSS.ext`` and kept, and the teacher's file takes the name;
- a file the learner edited that the teacher deleted is kept.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("nbgitpuller", reason="nbgitpuller is in requirements-dev.txt")
from nbgitpuller.pull import GitPuller  # noqa: E402

GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="git is missing")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        [GIT, "-c", "user.email=teacher@example.org", "-c", "user.name=teacher", *args],
        cwd=repo, check=True, capture_output=True, text=True,
    ).stdout


def commit(repo: Path, files: dict[str, str | None], message: str) -> None:
    """Write (or, for None, delete) files in the teacher's repository and commit them."""
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
        else:
            path.write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def pull(course: Path, clone: Path) -> list[str]:
    """One click on the nbgitpuller link: what the learner's server runs."""
    return list(GitPuller(str(course), str(clone), branch="main", depth=0).pull())


LESSON = "".join(f"line {i}: text of the lesson\n" for i in range(1, 21))


@pytest.fixture
def course(tmp_path) -> Path:
    repo = tmp_path / "course"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    commit(repo, {
        "00_start_here.txt": LESSON,
        "03_confidently_wrong.txt": LESSON,
        "05_outliers.txt": LESSON,
        "old_appendix.txt": LESSON,
    }, "the course")
    return repo


def test_first_click_clones_the_course(course, tmp_path):
    clone = tmp_path / "home" / "lossviz"
    pull(course, clone)
    assert sorted(p.name for p in clone.iterdir() if p.name != ".git") == [
        "00_start_here.txt", "03_confidently_wrong.txt", "05_outliers.txt", "old_appendix.txt"]
    assert (clone / "03_confidently_wrong.txt").read_text() == LESSON


def test_a_learners_edits_survive_the_teachers_update(course, tmp_path):
    clone = tmp_path / "home" / "lossviz"
    pull(course, clone)

    # The learner: edits line 3 of notebook 03, deletes 05, writes notes.txt, edits the appendix.
    mine = LESSON.replace("line 3: text of the lesson", "line 3: MY ANSWER p = 0.01")
    (clone / "03_confidently_wrong.txt").write_text(mine)
    (clone / "05_outliers.txt").unlink()
    (clone / "notes.txt").write_text("my own notes")
    (clone / "old_appendix.txt").write_text(LESSON + "my note on the appendix\n")

    # The teacher: fixes 00, rewrites line 3 and line 18 of 03, adds a notes.txt of their own,
    # and deletes the appendix.
    fixed = LESSON.replace("line 1: text", "line 1: corrected text")
    teacher_03 = (LESSON.replace("line 3: text of the lesson", "line 3: teacher's new wording")
                  .replace("line 18: text of the lesson", "line 18: teacher's extra hint"))
    commit(course, {
        "00_start_here.txt": fixed,
        "03_confidently_wrong.txt": teacher_03,
        "notes.txt": "the teacher's notes",
        "old_appendix.txt": None,
    }, "update")

    messages = pull(course, clone)

    # Untouched by the learner: the teacher's version.
    assert (clone / "00_start_here.txt").read_text() == fixed
    # Same lines changed on both sides: the learner's line 3 wins; the teacher's line 18 arrives.
    merged = (clone / "03_confidently_wrong.txt").read_text().splitlines()
    assert merged[2] == "line 3: MY ANSWER p = 0.01"
    assert merged[17] == "line 18: teacher's extra hint"
    assert len(merged) == 20
    # Deleted by the learner, unchanged upstream: restored.
    assert (clone / "05_outliers.txt").read_text() == LESSON
    # The learner's own notes.txt clashed with the teacher's new file: renamed and kept.
    assert (clone / "notes.txt").read_text() == "the teacher's notes"
    renamed = [p for p in clone.iterdir() if re.fullmatch(r"notes__\d{14}\.txt", p.name)]
    assert len(renamed) == 1 and renamed[0].read_text() == "my own notes", messages
    # Edited by the learner, deleted by the teacher: the learner's file is kept.
    assert (clone / "old_appendix.txt").read_text() == LESSON + "my note on the appendix\n"


def test_a_second_click_with_nothing_new_changes_nothing(course, tmp_path):
    clone = tmp_path / "home" / "lossviz"
    pull(course, clone)
    mine = LESSON + "my extra line\n"
    (clone / "03_confidently_wrong.txt").write_text(mine)
    pull(course, clone)
    assert (clone / "03_confidently_wrong.txt").read_text() == mine
