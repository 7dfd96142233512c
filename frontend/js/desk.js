// Keeps the desk's scan box focused, so a keyboard-wedge scanner's input always lands in it. Focus is
// only taken back when nothing else has it: staff filling in the agreement form are left alone.
const box = document.querySelector("[data-scan-box]");
if (box) {
  const hasErrorSummary = document.querySelector(".govuk-error-summary");
  const issueForm = document.querySelector("[data-issue-form]");
  if (!hasErrorSummary && !issueForm) box.focus();
  document.addEventListener("click", () => {
    window.setTimeout(() => {
      if (!issueForm && (document.activeElement === document.body || document.activeElement === null)) {
        box.focus();
      }
    }, 0);
  });
}
