/* stepbook quiz: checks the answers of the quizzes on a page.
 *
 * Progressive enhancement over the markup of xform_quiz_render_site(): a
 * <form class="quiz" data-quiz="ID"> holding one <fieldset
 * class="quiz-question" data-correct="0 2"> per question. Without this
 * script the quiz still works: the reader picks answers and opens "Show
 * answer". With it:
 *
 * - "Check answers" marks each question right or wrong (class quiz-right /
 *   quiz-wrong on the fieldset, "Correct.", "Not quite." or "No answer
 *   chosen." in its live region), opens its answer, and shows the score
 *   ("3 of 4 correct") in the quiz's live region. Checked questions are
 *   locked.
 *   Once every question is checked, "Check answers" hides (there is
 *   nothing left to check) and focus moves to "Retry missed questions",
 *   or to the score when all are right.
 * - "Retry missed questions" clears and unlocks only the missed ones,
 *   shows "Check answers" again and moves focus to the first of them.
 * - Printing opens every answer that is still closed, and closes it
 *   again afterwards (quiz.css shows them on paper where the browser
 *   styles ::details-content).
 * - Choices and results are saved in localStorage under
 *   "stepbook:quiz:ID" and restored on load. Storage may be missing or
 *   throw (file:// pages, private modes, a full quota): the quiz then
 *   simply forgets.
 *
 * Plain ES2017, no dependencies, no build step. Load it with `defer` (or
 * at the end of <body>); it also waits for DOMContentLoaded if needed. */
(() => {
	'use strict';

	/* the strings shown, in the book's language (site.js) */
	const text = (key, vars) => (window.stepbookText ? window.stepbookText(key, vars) : key);

	const PREFIX = 'stepbook:quiz:';
	const VERSION = 1;

	function load(key) {
		try {
			const raw = window.localStorage.getItem(key);
			return raw ? JSON.parse(raw) : null;
		} catch (e) {
			return null;
		}
	}

	function store(key, value) {
		try {
			window.localStorage.setItem(key, JSON.stringify(value));
		} catch (e) {
			/* no storage here: nothing to remember with */
		}
	}

	function inputsOf(fieldset) {
		return Array.from(fieldset.querySelectorAll('input[type="radio"], input[type="checkbox"]'));
	}

	function chosenOf(fieldset) {
		return inputsOf(fieldset).filter((i) => i.checked).map((i) => Number(i.value));
	}

	function correctOf(fieldset) {
		const s = (fieldset.getAttribute('data-correct') || '').trim();
		return s ? s.split(/\s+/).map(Number) : [];
	}

	function sameSet(a, b) {
		return a.length === b.length && a.every((x) => b.includes(x));
	}

	function setup(form) {
		if (form.hasAttribute('data-quiz-ready')) {
			return;
		}
		form.setAttribute('data-quiz-ready', '');

		const key = PREFIX + (form.getAttribute('data-quiz') || form.id);
		const questions = Array.from(form.querySelectorAll('fieldset.quiz-question'));
		const check = form.querySelector('.quiz-check');
		const retry = form.querySelector('.quiz-retry');
		const score = form.querySelector('.quiz-score');
		/* Saved results are only trusted for the same quiz: same number
		 * of choices and the same answers in every question. */
		const signature = questions
			.map((fs) => inputsOf(fs).length + ':' + (fs.getAttribute('data-correct') || ''))
			.join('|');

		function isGraded(fs) {
			return fs.classList.contains('quiz-right') || fs.classList.contains('quiz-wrong');
		}

		function grade(fs) {
			const picked = chosenOf(fs);
			const correct = correctOf(fs);
			const right = picked.length > 0 && sameSet(picked, correct);
			const feedback = fs.querySelector('.quiz-feedback');
			const details = fs.querySelector('details.quiz-answer');

			fs.classList.toggle('quiz-right', right);
			fs.classList.toggle('quiz-wrong', !right);
			if (feedback) {
				feedback.textContent = text(right
					? 'quiz_correct'
					: picked.length
						? 'quiz_not_quite'
						: 'quiz_no_answer');
			}
			inputsOf(fs).forEach((input) => {
				const label = input.closest('.quiz-choice');
				const isCorrect = correct.includes(Number(input.value));

				if (label) {
					label.classList.toggle('quiz-chosen-right', input.checked && isCorrect);
					label.classList.toggle('quiz-chosen-wrong', input.checked && !isCorrect);
				}
				input.disabled = true;
			});
			if (details) {
				details.open = true;
			}
			return right;
		}

		function clear(fs) {
			const feedback = fs.querySelector('.quiz-feedback');
			const details = fs.querySelector('details.quiz-answer');

			fs.classList.remove('quiz-right', 'quiz-wrong');
			if (feedback) {
				feedback.textContent = '';
			}
			inputsOf(fs).forEach((input) => {
				const label = input.closest('.quiz-choice');

				if (label) {
					label.classList.remove('quiz-chosen-right', 'quiz-chosen-wrong');
				}
				input.checked = false;
				input.disabled = false;
			});
			if (details) {
				details.open = false;
			}
		}

		/* Every question is checked: the score, and what is left to do. */
		function showScore(right) {
			if (score) {
				score.textContent = text('quiz_score', { n: right, total: questions.length });
			}
			if (retry) {
				retry.hidden = right === questions.length;
			}
			if (check) {
				check.hidden = true;
			}
		}

		function save() {
			const answers = {};
			const graded = [];

			questions.forEach((fs) => {
				answers[fs.id] = chosenOf(fs);
				if (isGraded(fs)) {
					graded.push(fs.id);
				}
			});
			const right = questions.filter((fs) => fs.classList.contains('quiz-right')).length;
			const done = graded.length === questions.length;
			store(key, {
				v: VERSION,
				signature,
				answers,
				graded,
				score: done ? { correct: right, total: questions.length } : null,
			});
		}

		function restore() {
			const saved = load(key);

			if (!saved || saved.v !== VERSION || saved.signature !== signature ||
			    typeof saved.answers !== 'object' || saved.answers === null) {
				return;
			}
			const graded = Array.isArray(saved.graded) ? saved.graded : [];
			let right = 0;

			questions.forEach((fs) => {
				const picked = saved.answers[fs.id];

				if (Array.isArray(picked)) {
					inputsOf(fs).forEach((input) => {
						input.checked = picked.includes(Number(input.value));
					});
				}
				if (graded.includes(fs.id) && grade(fs)) {
					right++;
				}
			});
			if (questions.length && questions.every(isGraded)) {
				showScore(right);
			}
		}

		form.addEventListener('submit', (event) => {
			event.preventDefault();
			let right = 0;

			questions.forEach((fs) => {
				if (grade(fs)) {
					right++;
				}
			});
			showScore(right);
			save();
			/* the button that had focus is gone: go to what comes next */
			if (retry && !retry.hidden) {
				retry.focus();
			} else if (score) {
				score.tabIndex = -1;
				score.focus();
			}
		});

		form.addEventListener('change', (event) => {
			if (event.target instanceof HTMLInputElement) {
				save();
			}
		});

		if (retry) {
			retry.addEventListener('click', () => {
				const missed = questions.filter((fs) => fs.classList.contains('quiz-wrong'));

				missed.forEach(clear);
				if (score) {
					score.textContent = '';
				}
				retry.hidden = true;
				if (check) {
					check.hidden = false;
				}
				save();
				const first = missed.length ? missed[0].querySelector('input') : null;
				if (first) {
					first.focus();
				}
			});
		}

		if (check) {
			check.hidden = false;
		}
		restore();
	}

	/* Printing shows every answer. quiz.css does it where the browser
	 * styles ::details-content; elsewhere the answers still closed are
	 * opened for the printout, and closed again after it. */
	function printAnswers() {
		let opened = [];

		window.addEventListener('beforeprint', () => {
			opened = Array.from(document.querySelectorAll('details.quiz-answer:not([open])'));
			opened.forEach((details) => {
				details.open = true;
			});
		});
		window.addEventListener('afterprint', () => {
			opened.forEach((details) => {
				details.open = false;
			});
			opened = [];
		});
	}

	function init() {
		document.querySelectorAll('form.quiz[data-quiz]').forEach(setup);
		printAnswers();
	}

	if (document.readyState === 'loading') {
		document.addEventListener('DOMContentLoaded', init);
	} else {
		init();
	}
})();
