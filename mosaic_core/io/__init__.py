"""Reading the datasets researchers have, and writing what their trainers read."""
