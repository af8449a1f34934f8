/** English: key backup (backup shares) and recovery from them. Typed against zh-CN. */
import type keysZh from "./keys.zh-CN";

const keysEn: typeof keysZh = {
  keys: {
    nav: { backup: "Key backup", recover: "Recover from backup shares" },
    explain: {
      title: "How backup shares work",
      body: "Your private key is split into n shares for n holders, each sealed with that holder's password. Any t shares together restore the key (t-of-n); fewer than t reveal nothing about it. So any t holders together can take your key and sign as you: choose people who are independent of each other and would not collude. Recovery is for a forgotten password or a lost device; if the key may have been stolen, recovery does not help: the old key must be revoked, and you make a new key and are admitted again.",
    },
    backup: {
      title: "Key backup",
      subtitle:
        "Split your private key into sealed backup shares for people you trust; if you forget your password or lose this device, any t of them restore it.",
      shares: "Number of shares n",
      threshold: "Shares needed to recover t",
      summary: "{n} shares, any {t} recover the key",
      holders: "Holders",
      holder: "Share {i}",
      holderLabel: "Holder (e.g. mother, lawyer, offline backup)",
      holderLabelRequired: "Name the holder",
      holderPassword: "This holder's password",
      holderConfirm: "Confirm password",
      create: "Unlock the key and make the shares",
      sealing: "Sealing share {done} of {total}…",
      done: "{n} sealed shares are ready. Give each share (file or text) and its password to its holder, separately; do not keep them together.",
      shareTitle: "Share {i} of {n} · {holder}",
      download: "Download file",
      copy: "Copy text",
      copied: "Share {i} copied",
      copyFailed: "Could not write to the clipboard; select the text and copy it by hand",
      again: "Make new shares",
      againHint:
        "New shares are a new set; the old shares still restore the same key, so ask their holders to destroy them once they are no longer used.",
      failed: "Could not make the shares: {message}",
    },
    recover: {
      title: "Recover your key from backup shares",
      subtitle:
        "Paste or upload the sealed shares your holders give back, one at a time, each with its password. Once t shares are open, the key can be restored.",
      share: "Sealed share (file content)",
      sharePlaceholder: "yyl-sealed-share JSON",
      chooseFile: "Choose a share file",
      sharePassword: "This share's password",
      add: "Open this share",
      opening: "Decrypting…",
      opened: "Open shares",
      openedItem: "Share {i} of {n}",
      count: "{opened} open, {t} needed",
      countUnknown: "No share open yet",
      rebuild: "Recover the key",
      belongsTo: "The recovered key belongs to account",
      setPassword:
        "Set a new password for the recovered key; it is kept encrypted in this browser like an imported key.",
      keyLabel: "Key name (optional)",
      save: "Save and sign in",
      saved: "Key recovered and saved",
      backToSignIn: "Back to sign-in",
      removeShare: "Remove",
      errors: {
        empty: "Paste or choose a sealed share",
        passwordRequired: "Enter this share's password",
        notShare: "This is not a sealed share file (a yyl-sealed-share JSON expected)",
        wrongPassword:
          "Share {i} (account {address}) did not open: wrong password, or the share file is damaged",
        damaged: "Share {i} (account {address}) is damaged: {message}",
        otherKey:
          "Share {i} belongs to another account, {address}, but the open shares belong to {first}: shares of two keys cannot be mixed",
        otherSplit:
          "Share {i} is from another backup ({t}-of-{n}), not the same set as the open shares ({t0}-of-{n0})",
        duplicate: "Share {i} is already open",
        tooFew: "Too few shares: recovering the key of account {address} needs {t} shares, {opened} open",
        none: "Open at least one share first",
        failed: "Could not recover the key: {message}",
      },
    },
  },
};

export default keysEn;
