"""The only streamlit-aware part of planner: engine cache, access guard, shared widgets."""
