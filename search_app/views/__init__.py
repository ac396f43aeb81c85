"""Pages (views) of the Streamlit app."""
