// The practice form: the audience question is for TLP:AMBER only, so it is shown only while TLP:AMBER is chosen.
// Without JavaScript it is always shown, and the server ignores it for the other levels.
const audience = document.querySelector('[data-pe-audience]');
const levels = document.querySelectorAll('input[name="visibility"]');

if (audience && levels.length) {
  const update = () => {
    audience.hidden = !document.querySelector('input[name="visibility"][value="TLP_AMBER"]:checked');
  };
  for (const level of levels) level.addEventListener('change', update);
  update();
}
