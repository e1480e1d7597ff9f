// A confirmation in a modal <dialog>: the question, what it will do, Cancel (focused first, so Enter does not
// confirm by accident) and the confirming button. Esc cancels. Resolves true only for the confirming button.
import { h } from './dom';

export interface Confirmation {
  title: string;
  body: string[];
  confirm: string;
  danger?: boolean;
}

let dialogs = 0;

export function confirmDialog(host: HTMLElement, c: Confirmation): Promise<boolean> {
  const id = `gic-dialog-${++dialogs}`;
  const cancel = h('button', { type: 'button', autofocus: true }, 'Cancel');
  const confirm = h('button', { type: 'button', class: c.danger ? 'gic-danger' : 'gic-primary' }, c.confirm);
  const dialog = h(
    'dialog',
    { class: 'gic-dialog', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-body` },
    h('h3', { id: `${id}-title` }, c.title),
    h('div', { id: `${id}-body` }, ...c.body.map((text) => h('p', {}, text))),
    h('div', { class: 'gic-row gic-end' }, cancel, confirm),
  );
  host.append(dialog);
  return new Promise((resolve) => {
    let answer = false;
    cancel.addEventListener('click', () => dialog.close());
    confirm.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(answer);
    });
    dialog.showModal();
  });
}
