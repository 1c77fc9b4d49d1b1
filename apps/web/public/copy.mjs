// Adds a copy button to each field marked data-pe-copy (a secret, a feed address, a new token). Without JavaScript,
// or without a clipboard (an address that is not secure), the field is still there to select and copy by hand.
const COPIED_FOR_MS = 4000;

for (const container of document.querySelectorAll('[data-pe-copy]')) {
  const field = document.getElementById(container.dataset.peCopy);
  if (!field || !navigator.clipboard?.writeText) continue;
  const label = container.dataset.peCopyButton;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'govuk-button govuk-button--secondary pe-copy__button';
  button.textContent = label;
  // Announced by screen readers: the button's own text changing is not.
  const status = document.createElement('span');
  status.className = 'govuk-visually-hidden';
  status.setAttribute('role', 'status');
  let timer;
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(field.value);
    } catch {
      // Refused (no permission): select the text so a keyboard copy works.
      field.focus();
      field.select();
      return;
    }
    button.textContent = container.dataset.peCopied;
    status.textContent = container.dataset.peCopied;
    clearTimeout(timer);
    timer = setTimeout(() => {
      button.textContent = label;
      status.textContent = '';
    }, COPIED_FOR_MS);
  });
  container.append(button, status);
}
