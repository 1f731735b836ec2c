// Shared by the letter forms' component and their action: the intent of the button that,
// without JavaScript, sends the form back to show the chosen sender's signers.
export const SHOW_SIGNERS = "show-signers";
